import type * as pulumi from "@pulumi/pulumi";
import { PrimaryReadiness } from "../provider/primaryReadiness";
import type { PrimaryReadinessArgs } from "../provider/primaryReadiness";
import { ReplicaPromotion } from "../provider/replicaPromotion";
import type { ReplicaPromotionArgs } from "../provider/replicaPromotion";
import { ReplicationCheck } from "../provider/replicationCheck";
import type { ReplicationCheckArgs } from "../provider/replicationCheck";

/** What the set reads from a promotion: it completes once the replica is standalone. */
export interface PromotionResource extends pulumi.CustomResource {
  readonly integrationId: pulumi.Output<string | null>;
  readonly promotedAt: pulumi.Output<string>;
  readonly promoted: pulumi.Output<boolean>;
}

export interface ReadinessResource extends pulumi.CustomResource {
  readonly state: pulumi.Output<string>;
  readonly backupCount: pulumi.Output<number>;
  readonly liveReplicas: pulumi.Output<number>;
}

export interface ReplicationCheckResource extends pulumi.CustomResource {
  readonly lagMs: pulumi.Output<Record<string, number>>;
  readonly checkedAt: pulumi.Output<string>;
}

/**
 * How a ReadReplicaSet creates its three helper resources. A TypeScript program uses dynamic
 * resources; the package's own provider (for Python, Go, YAML, ...) creates them as resources of
 * the `aiven-read-replicas` package, served by that same provider process.
 */
export interface HelperResources {
  primaryReadiness(name: string, args: PrimaryReadinessArgs, opts: pulumi.CustomResourceOptions): ReadinessResource;
  replicaPromotion(name: string, args: ReplicaPromotionArgs, opts: pulumi.CustomResourceOptions): PromotionResource;
  replicationCheck(name: string, args: ReplicationCheckArgs, opts: pulumi.CustomResourceOptions): ReplicationCheckResource;
}

export const dynamicHelperResources: HelperResources = {
  primaryReadiness: (name, args, opts) => new PrimaryReadiness(name, args, opts),
  replicaPromotion: (name, args, opts) => new ReplicaPromotion(name, args, opts),
  replicationCheck: (name, args, opts) => new ReplicationCheck(name, args, opts),
};
