import type * as pulumi from "@pulumi/pulumi";
import { AivenClient } from "./aivenClient";
import { resolveApiUrl, resolveToken } from "./credentials";
import { apiUrlProblem, booleanProblem, describeValue, positiveSecondsProblem, projectProblem, serviceNameProblem } from "./rules";

// What the engine sends for a value not known yet (preview): such values are checked later.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function clientFor(inputs: { apiUrl?: string; apiToken?: string } | undefined): AivenClient {
  if (inputs === undefined) throw new Error("no inputs to build an Aiven client from");
  return new AivenClient({ token: resolveToken(inputs.apiToken), apiUrl: resolveApiUrl(inputs.apiUrl) });
}

/** Outputs never carry the token: it is a credential, not a property of the resource. */
export function withoutToken<T extends object>(value: T): Omit<T, "apiToken"> {
  const copy: Partial<T> & { apiToken?: unknown } = { ...value };
  delete copy.apiToken;
  return copy as Omit<T, "apiToken">;
}

/** `replaces` lists the keys that changed among `replaceKeys`; `changes` covers those and `updateKeys`. */
export function diffByKeys<T extends object>(
  olds: Partial<T>,
  news: Partial<T>,
  replaceKeys: Array<keyof T>,
  updateKeys: Array<keyof T>,
  forceChange = false,
): pulumi.dynamic.DiffResult {
  const differs = (k: keyof T) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null);
  const replaces = replaceKeys.filter(differs).map(String);
  const changes = forceChange || replaces.length > 0 || updateKeys.some(differs);
  return { changes, replaces, deleteBeforeReplace: false };
}

/** Collects check failures with the wording of the component's preflight validation. */
export class InputChecker {
  readonly failures: pulumi.dynamic.CheckFailure[];

  // No field initializers in serialized classes: serializeFunction keeps only the constructor body.
  constructor(private readonly inputs: Record<string, unknown>) {
    this.failures = [];
  }

  project(key: string): this {
    return this.rule(key, projectProblem);
  }

  serviceName(key: string): this {
    return this.rule(key, serviceNameProblem);
  }

  positiveSeconds(key: string): this {
    return this.rule(key, positiveSecondsProblem);
  }

  flag(key: string, required = false): this {
    return this.rule(key, (v) => (required && v === undefined ? "is required: true or false" : booleanProblem(v)));
  }

  oneOf(key: string, allowed: readonly string[]): this {
    return this.rule(key, (v) =>
      typeof v === "string" && allowed.includes(v) ? undefined : `${describeValue(v)} must be one of ${allowed.join(", ")}`,
    );
  }

  apiUrl(key: string): this {
    return this.rule(key, apiUrlProblem);
  }

  rule(key: string, problem: (value: unknown) => string | undefined): this {
    return this.at(key, this.inputs[key], problem);
  }

  /** A value inside an input, e.g. `replicas[2].uri`; a value not known yet is left for later. */
  at(property: string, value: unknown, problem: (value: unknown) => string | undefined): this {
    if (value === UNKNOWN) return this;
    const reason = problem(value);
    if (reason !== undefined) this.failures.push({ property, reason });
    return this;
  }
}
