import { ServiceType } from "../components/serviceType";
import { DEFAULT_REPLICA_PLAN } from "../components/preflight";

/** The package name every Pulumi language uses: types are `aiven-read-replicas:index:<Name>`. */
export const PACKAGE_NAME = "aiven-read-replicas";

export const typeToken = (name: string): string => `${PACKAGE_NAME}:index:${name}`;

type Property = Record<string, unknown>;

const str = (description: string, extra: Property = {}): Property => ({ type: "string", description, ...extra });
const num = (description: string, extra: Property = {}): Property => ({ type: "number", description, ...extra });
const int = (description: string): Property => ({ type: "integer", description });
const bool = (description: string, extra: Property = {}): Property => ({ type: "boolean", description, ...extra });
const ref = (name: string, description: string): Property => ({ $ref: `#/types/${typeToken(name)}`, description });
const arrayOf = (items: Property, description: string, extra: Property = {}): Property => ({ type: "array", items, description, ...extra });

const secret = { secret: true };

/** Inputs every helper resource takes to reach Aiven and to wait. */
const accessInputs: Record<string, Property> = {
  apiUrl: str("Aiven API base URL without /v1; default: env AIVEN_WEB_URL, then https://api.aiven.io."),
  apiToken: str("Aiven API token; default: env AIVEN_TOKEN.", secret),
  timeoutSeconds: num("Deadline of the wait, in seconds; default 1800."),
  pollSeconds: num("Poll interval of the wait, in seconds, fractions allowed; default 10."),
};
const waitInputs: Record<string, Property> = {
  timeoutSeconds: accessInputs.timeoutSeconds,
  pollSeconds: accessInputs.pollSeconds,
};

const readReplicaSetInputs: Record<string, Property> = {
  project: str("Aiven project that holds every service of the set."),
  serviceType: { ...ref("ServiceType", "Default valkey. caching and redis are both Aiven's end-of-life type redis."), plain: true },
  primary: { ...ref("PrimarySpec", "The primary to create, or to adopt with existing: true."), plain: true },
  replicas: {
    ...arrayOf({ $ref: `#/types/${typeToken("ReplicaSpec")}`, plain: true }, "Read replicas, at most 5 that are not promoted."),
    plain: true,
  },
  apiToken: str("Aiven API token; default: config aiven:apiToken, then env AIVEN_TOKEN. Passed on as a secret.", secret),
  apiUrl: str("Aiven API base URL without /v1; default: env AIVEN_WEB_URL, then https://api.aiven.io.", { plain: true }),
  replicaPlans: arrayOf({ type: "string", plain: true }, `Plans a replica may use; default ["${DEFAULT_REPLICA_PLAN}"].`, { plain: true }),
  waitForBackup: bool("Default true: replicas are created only once the primary has a backup.", { plain: true }),
  verifyReplication: bool("Default false: write a canary to the primary and wait for it on every replica.", { plain: true }),
  failoverTo: str("Name of a promoted replica that takes over as the write endpoint.", { plain: true }),
  timeoutSeconds: num("Deadline of each wait (readiness, promotion, replication check); default 1800, 300 for the check.", { plain: true }),
  pollSeconds: num("Poll interval of those waits, fractions allowed; default 10.", { plain: true }),
};

const readReplicaSetOutputs: Record<string, Property> = {
  primaryServiceName: str("Aiven service name of the primary."),
  primaryUri: str("The primary's service URI.", secret),
  primaryHost: str("The primary's host name."),
  primaryPort: int("The primary's port."),
  replicaServiceNames: arrayOf({ type: "string" }, "Service names of the replicas, in the order declared."),
  replicaUris: arrayOf({ type: "string" }, "Service URIs of the replicas, in the order declared.", secret),
  replicaHosts: arrayOf({ type: "string" }, "Host names of the replicas, in the order declared."),
  replicaPorts: arrayOf({ type: "integer" }, "Ports of the replicas, in the order declared."),
  replicaPromoted: arrayOf({ type: "boolean" }, "Whether each replica is declared promoted, in the order declared."),
  writeEndpoint: str("The URI applications write to: the primary's, or the failoverTo replica's once it is promoted.", secret),
};

const specProperties = {
  name: str("Aiven service name: a lowercase letter first, then a-z, 0-9 and -, at most 63 characters."),
  cloud: str("Cloud in provider-region form, e.g. google-europe-west1."),
  terminationProtection: bool("Default false."),
};

/** The package schema: the component, its argument types, and the three resources it creates. */
export function packageSchema(version: string): Record<string, unknown> {
  return {
    name: PACKAGE_NAME,
    displayName: "Aiven read replicas",
    version,
    description: "One Aiven for Valkey (or Caching) primary with up to five read replicas: declare, promote, verify.",
    keywords: ["aiven", "valkey", "redis", "read-replica", "kind/component", "category/database"],
    license: "Apache-2.0",
    config: {},
    provider: { description: "The aiven-read-replicas provider. Its resources take the Aiven token and URL as inputs." },
    language: {
      nodejs: { dependencies: { "@pulumi/pulumi": "^3.248.0" }, respectSchemaVersion: true },
      python: { requires: { "pulumi": ">=3.0.0,<4.0.0" }, respectSchemaVersion: true },
      go: { respectSchemaVersion: true },
      csharp: { packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
    },
    types: {
      [typeToken("ServiceType")]: {
        type: "string",
        description: "The service type of the whole set: read replicas work only within one service type.",
        enum: Object.entries(ServiceType).map(([name, value]) => ({ name, value })),
      },
      [typeToken("PrimarySpec")]: {
        type: "object",
        description: "The primary of a set.",
        properties: {
          name: specProperties.name,
          plan: str("Required unless existing, e.g. business-4; not a free plan."),
          cloud: specProperties.cloud,
          existing: bool("Default false: adopt an existing primary by name instead of creating one."),
          terminationProtection: specProperties.terminationProtection,
        },
        required: ["name"],
      },
      [typeToken("ReplicaSpec")]: {
        type: "object",
        description: "One read replica of a set.",
        properties: {
          name: specProperties.name,
          cloud: str("Default: the primary's cloud."),
          plan: str(`Default ${DEFAULT_REPLICA_PLAN}; one of replicaPlans.`),
          promote: bool("Default false; true promotes it to a standalone primary (irreversible)."),
          terminationProtection: specProperties.terminationProtection,
        },
        required: ["name"],
      },
      [typeToken("ReplicationTarget")]: {
        type: "object",
        description: "A replica the replication check reads the canary from.",
        properties: { name: str("Replica service name."), uri: str("The replica's service URI.", secret) },
        required: ["name", "uri"],
      },
    },
    resources: {
      [typeToken("ReadReplicaSet")]: {
        isComponent: true,
        description:
          "A primary Aiven for Valkey (or Caching) service and up to five read replicas, with optional promotion of " +
          "replicas to standalone primaries and a write endpoint that follows the failover.",
        inputProperties: readReplicaSetInputs,
        requiredInputs: ["project", "primary", "replicas"],
        properties: readReplicaSetOutputs,
        required: Object.keys(readReplicaSetOutputs),
      },
      [typeToken("ReplicaPromotion")]: helperResource(
        "Promotes one read replica to a standalone primary by deleting its read_replica integration.",
        {
          project: str("Aiven project."),
          primaryServiceName: str("The primary the replica replicates from."),
          replicaServiceName: str("The replica to promote."),
          ...accessInputs,
        },
        ["project", "primaryServiceName", "replicaServiceName"],
        {
          integrationId: str("The read_replica integration removed; empty when it was already gone."),
          promotedAt: str("When the promotion completed (ISO time)."),
          promoted: bool("False when a refresh finds the replica replicating again; the next update promotes it."),
        },
      ),
      [typeToken("PrimaryReadiness")]: helperResource(
        "Waits, before any replica is created, until the primary can take read replicas.",
        {
          project: str("Aiven project."),
          serviceName: str("The primary's service name."),
          serviceType: str("Aiven's service type: valkey or redis."),
          replicasToAdd: int("Read replicas the set will have live."),
          requireBackup: bool("Wait for the primary's first backup."),
          managedReplicas: arrayOf({ type: "string" }, "Names of the replicas the set declares."),
          ...accessInputs,
        },
        ["project", "serviceName", "serviceType", "replicasToAdd", "requireBackup"],
        {
          state: str("The primary's state when last checked."),
          backupCount: int("The primary's backups when last checked."),
          liveReplicas: int("All live read replicas of the primary when last checked."),
        },
      ),
      [typeToken("ReplicationCheck")]: helperResource(
        "Writes a canary to the primary and waits until every listed replica returns it.",
        {
          primaryUri: str("The primary's service URI.", secret),
          replicas: arrayOf({ $ref: `#/types/${typeToken("ReplicationTarget")}` }, "The replicas that should replicate.", secret),
          ...waitInputs,
        },
        ["primaryUri", "replicas"],
        {
          lagMs: { type: "object", additionalProperties: { type: "number" }, description: "Time until each replica returned the canary, by name." },
          checkedAt: str("When the check passed (ISO time)."),
        },
      ),
    },
  };
}

function helperResource(
  description: string,
  inputs: Record<string, Property>,
  requiredInputs: string[],
  outputs: Record<string, Property>,
): Record<string, unknown> {
  // Outputs repeat the inputs, except the token, which is never stored as an output.
  const { apiToken: _token, ...echoed } = inputs;
  return { description, inputProperties: inputs, requiredInputs, properties: { ...echoed, ...outputs }, required: Object.keys(outputs) };
}
