import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** The plain value of a property bag from the mock monitor: secrets unwrapped, recursively. */
export function unwrapSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(unwrapSecrets) as T;
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return unwrapSecrets(record.value) as T;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
}
