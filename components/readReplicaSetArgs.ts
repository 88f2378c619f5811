import type * as aiven from "@pulumi/aiven";
import type * as pulumi from "@pulumi/pulumi";
import type { PromotionResource } from "./helperResources";
import type { ServiceType } from "./serviceType";

/** What the user declares: a primary and its read replicas. */
export interface ReadReplicaSetArgs {
  /** Aiven project that holds every service of the set. */
  project: pulumi.Input<string>;
  /** Default "valkey". "caching" and "redis" are both Aiven's end-of-life type `redis`. */
  serviceType?: ServiceType;
  /** The primary to create, or to adopt with `existing: true`. */
  primary: PrimarySpec;
  /** Read replicas, at most 5 that are not promoted. */
  replicas: ReplicaSpec[];
  /** Aiven API token; default: config `aiven:apiToken`, then env AIVEN_TOKEN. Passed on as a secret. */
  apiToken?: pulumi.Input<string>;
  /** Aiven API base URL without /v1; default: env AIVEN_WEB_URL, then https://api.aiven.io. */
  apiUrl?: string;
  /** Plans a replica may use; default ["startup-4"]. Aiven allows startup plans only. */
  replicaPlans?: string[];
  /** Default true: replicas are created only once the primary has a backup. */
  waitForBackup?: boolean;
  /** Default false: write a canary to the primary and wait for it on every replica. */
  verifyReplication?: boolean;
  /** Name of a promoted replica that takes over as the write endpoint. */
  failoverTo?: string;
  /** Deadline of each wait (readiness, promotion, replication check); default 1800, 300 for the check. */
  timeoutSeconds?: number;
  /** Poll interval of those waits, fractions allowed; default 10. */
  pollSeconds?: number;
}

export interface PrimarySpec {
  /** Aiven service name of the primary. */
  name: string;
  /** Required unless existing, e.g. "business-4"; not a free plan. */
  plan?: string;
  /** provider-region, e.g. "google-europe-west1"; default: Aiven's default cloud. */
  cloud?: pulumi.Input<string>;
  /** Default false: adopt an existing primary by name instead of creating one. */
  existing?: boolean;
  /** Default false. */
  terminationProtection?: boolean;
}

export interface ReplicaSpec {
  /** Aiven service name of the replica. */
  name: string;
  /** Default: the primary's cloud. */
  cloud?: pulumi.Input<string>;
  /** Default "startup-4"; one of `replicaPlans`. */
  plan?: string;
  /** Default false; true promotes it to a standalone primary (irreversible). */
  promote?: boolean;
  /** Default false. */
  terminationProtection?: boolean;
}

export type AivenCachingService = aiven.Valkey | aiven.Redis;

/** One declared replica and what it became. */
export interface ReplicaHandle {
  name: string;
  service: AivenCachingService;
  promoted: boolean;
  /** A ReplicaPromotion in a TypeScript program. */
  promotion?: PromotionResource;
  /** Secret. */
  uri: pulumi.Output<string>;
  host: pulumi.Output<string>;
  port: pulumi.Output<number>;
}
