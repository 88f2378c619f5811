import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { READ_REPLICA_SET_TYPE } from "../components/readReplicaSet";
import type { ReadReplicaSetArgs } from "../components/readReplicaSetArgs";
import { USER_AGENT } from "../provider/aivenClient";
import { primaryReadinessProvider } from "../provider/primaryReadiness";
import { replicaPromotionProvider } from "../provider/replicaPromotion";
import { replicationCheckProvider } from "../provider/replicationCheck";
import { PackagedReadReplicaSet } from "./helperResources";
import { packageSchema, typeToken } from "./schema";

/** The package version: the one the npm package is published with. */
export const PACKAGE_VERSION = USER_AGENT.split("/")[1] ?? "0.0.0";

// Each resource of the package is served by the provider object its dynamic resource uses.
// Typed loosely here: the engine hands over whatever the program declared, and each provider
// checks its inputs itself.
type AnyDynamicProvider = pulumi.dynamic.ResourceProvider<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const RESOURCE_PROVIDERS: Readonly<Record<string, AnyDynamicProvider>> = {
  [typeToken("ReplicaPromotion")]: replicaPromotionProvider,
  [typeToken("PrimaryReadiness")]: primaryReadinessProvider,
  [typeToken("ReplicationCheck")]: replicationCheckProvider,
};

/** Inputs that are secret whatever the program declared (a URI holds the service password). */
const ALWAYS_SECRET: Readonly<Record<string, readonly string[]>> = {
  [typeToken("ReplicationCheck")]: ["primaryUri", "replicas"],
};

type Props = Record<string, unknown>;

function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[specialSigKey] === specialSecretSig;
}

function reveal(value: unknown): unknown {
  if (isSecretValue(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecretValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

/**
 * Secrets arrive wrapped: the providers work on plain values, and every top-level property that
 * held a secret on the way in is a secret on the way out.
 */
class SecretScope {
  private readonly keys: Set<string>;

  constructor(type: string, ...sources: Array<Props | undefined>) {
    this.keys = new Set(ALWAYS_SECRET[type] ?? []);
    for (const source of sources) {
      for (const [key, value] of Object.entries(source ?? {})) if (containsSecret(value)) this.keys.add(key);
    }
  }

  wrap(outs: Props | undefined): Props | undefined {
    if (outs === undefined) return undefined;
    return Object.fromEntries(
      Object.entries(outs).map(([key, value]) => [key, this.keys.has(key) && value !== undefined ? { [specialSigKey]: specialSecretSig, value } : value]),
    );
  }
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` to its type token. */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

function providerFor(urn: string): { type: string; resource: AnyDynamicProvider } {
  const type = typeOfUrn(urn);
  const resource = RESOURCE_PROVIDERS[type];
  if (resource === undefined) throw new Error(`the aiven-read-replicas provider has no resource type '${type}'`);
  return { type, resource };
}

/**
 * The package's provider: constructs ReadReplicaSet for programs in any Pulumi language and
 * serves the three resources it creates, with the same code the dynamic resources run.
 */
export class ReadReplicaSetProvider implements provider.Provider {
  readonly version = PACKAGE_VERSION;

  async getSchema(): Promise<string> {
    return JSON.stringify(packageSchema(this.version));
  }

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
    if (type !== READ_REPLICA_SET_TYPE) throw new Error(`the aiven-read-replicas provider cannot construct '${type}'`);
    const set = new PackagedReadReplicaSet(name, inputs as unknown as ReadReplicaSetArgs, options);
    return { urn: set.urn, state: set.plainOutputs() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<provider.CheckResult> {
    const { resource } = providerFor(urn);
    const result = resource.check ? await resource.check(reveal(olds), reveal(news)) : {};
    // The inputs go back as they came, secrets still wrapped.
    return { inputs: news, failures: result.failures ?? [] };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<provider.DiffResult> {
    const { resource } = providerFor(urn);
    return resource.diff ? resource.diff(id, reveal(olds), reveal(news)) : {};
  }

  async create(urn: string, inputs: Props): Promise<provider.CreateResult> {
    const { type, resource } = providerFor(urn);
    const result = await resource.create(reveal(inputs));
    return { id: result.id, outs: new SecretScope(type, inputs).wrap(result.outs) };
  }

  async read(id: string, urn: string, props: Props): Promise<provider.ReadResult> {
    const { type, resource } = providerFor(urn);
    if (!resource.read) return { id, props };
    const result = await resource.read(id, reveal(props));
    return { id: result.id, props: new SecretScope(type, props).wrap(result.props) };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<provider.UpdateResult> {
    const { type, resource } = providerFor(urn);
    if (!resource.update) return { outs: news };
    const result = await resource.update(id, reveal(olds), reveal(news));
    return { outs: new SecretScope(type, olds, news).wrap(result.outs) };
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const { resource } = providerFor(urn);
    if (resource.delete) await resource.delete(id, reveal(props));
  }
}
