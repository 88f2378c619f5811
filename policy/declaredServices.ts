// What the policies need to know about the stack's Aiven caching services, read once from the
// engine's view of each resource. During preview a value can be unknown (it comes from another
// resource's output); such a value is left out, and a rule that needs it does not judge.
import { PolicyResourceOptions, UnknownValueError } from "@pulumi/policy";

/** Aiven's service type for each Pulumi resource type this pack understands. */
export const SERVICE_TYPES: Readonly<Record<string, string>> = {
  "aiven:index/valkey:Valkey": "valkey",
  "aiven:index/redis:Redis": "redis",
  "aiven:index/dragonfly:Dragonfly": "dragonfly",
};

/** A resource as both resource and stack validations receive it. */
export interface ResourceView {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  opts: Pick<PolicyResourceOptions, "ignoreChanges">;
}

export interface DeclaredService {
  urn: string;
  /** e.g. `aiven.Valkey 'cache-replica' (service 'cache-r1')`. */
  label: string;
  /** Aiven's type: valkey, redis or dragonfly. */
  serviceType: string;
  serviceName?: string;
  project?: string;
  plan?: unknown;
  /** undefined while not known (preview); false when not set. */
  terminationProtection?: boolean;
  /** Source service names of its read_replica integrations; empty when it is not a replica. */
  sources: string[];
  /** True when a read_replica entry exists but its source is not known yet (preview). */
  hasUnknownSource: boolean;
  ignoreChanges: string[];
}

/** The value, or undefined when the engine does not know it yet (preview). */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return undefined;
    throw e;
  }
}

function knownString(read: () => unknown): string | undefined {
  const value = known(read);
  return typeof value === "string" ? value : undefined;
}

/** The resource as a caching service, or undefined when it is not a Valkey, Redis or Dragonfly service. */
export function readService(resource: ResourceView): DeclaredService | undefined {
  const serviceType = SERVICE_TYPES[resource.type];
  if (serviceType === undefined) return undefined;
  const props = resource.props;
  const serviceName = knownString(() => props.serviceName);
  const sources: string[] = [];
  let hasUnknownSource = false;
  // An entry (or the whole list) that is not known yet is not judged: it may not be a read_replica one.
  const integrations = known(() => props.serviceIntegrations);
  const count = Array.isArray(integrations) ? integrations.length : 0;
  for (let i = 0; i < count; i++) {
    const entry = known(() => (integrations as unknown[])[i]);
    if (entry === null || typeof entry !== "object") continue;
    if (known(() => (entry as Record<string, unknown>).integrationType) !== "read_replica") continue;
    const source = knownString(() => (entry as Record<string, unknown>).sourceServiceName);
    if (source !== undefined) sources.push(source);
    else hasUnknownSource = true;
  }
  return {
    urn: resource.urn,
    label: `${displayType(resource.type)} '${resource.name}'${serviceName !== undefined ? ` (service '${serviceName}')` : ""}`,
    serviceType,
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...optional("project", knownString(() => props.project)),
    ...optional("plan", known(() => props.plan)),
    ...optional("terminationProtection", flag(props, "terminationProtection")),
    sources,
    hasUnknownSource,
    ignoreChanges: [...(resource.opts.ignoreChanges ?? [])],
  };
}

/** true or false when known (a missing flag is false), undefined while the engine does not know it. */
function flag(props: Record<string, unknown>, key: string): boolean | undefined {
  if (!(key in props)) return false;
  const value = known(() => props[key]);
  return value === undefined ? undefined : value === true;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `aiven:index/valkey:Valkey` as a user writes it: `aiven.Valkey`. */
export function displayType(type: string): string {
  const match = /^aiven:index\/[^:]+:(\w+)$/.exec(type);
  return match ? `aiven.${match[1]}` : type;
}

export function isReplica(service: DeclaredService): boolean {
  return service.sources.length > 0 || service.hasUnknownSource;
}

/** Where a replica's source is looked up: the same project when both projects are known. */
export function findSource(services: DeclaredService[], replica: DeclaredService, source: string): DeclaredService | undefined {
  return services.find(
    (s) => s !== replica && s.serviceName === source && (s.project === undefined || replica.project === undefined || s.project === replica.project),
  );
}
