import * as pulumi from "@pulumi/pulumi";
import type { HelperResources, PromotionResource, ReadinessResource, ReplicationCheckResource } from "../components/helperResources";
import { ReadReplicaSet } from "../components/readReplicaSet";
import type { PrimaryReadinessArgs } from "../provider/primaryReadiness";
import type { ReplicaPromotionArgs } from "../provider/replicaPromotion";
import type { ReplicationCheckArgs } from "../provider/replicationCheck";
import { typeToken } from "./schema";

// The same three resources as the dynamic ones, registered as resources of this package, so that
// the package's own provider process serves them: a program in another language has no Node
// modules from which the dynamic-provider plugin could load them.

class PackagePrimaryReadiness extends pulumi.CustomResource implements ReadinessResource {
  declare readonly state: pulumi.Output<string>;
  declare readonly backupCount: pulumi.Output<number>;
  declare readonly liveReplicas: pulumi.Output<number>;

  constructor(name: string, args: PrimaryReadinessArgs, opts: pulumi.CustomResourceOptions) {
    const props = { state: undefined, backupCount: undefined, liveReplicas: undefined, ...withConfiguredToken(args) };
    super(typeToken("PrimaryReadiness"), name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiToken"] }));
  }
}

class PackageReplicaPromotion extends pulumi.CustomResource implements PromotionResource {
  declare readonly integrationId: pulumi.Output<string | null>;
  declare readonly promotedAt: pulumi.Output<string>;
  declare readonly promoted: pulumi.Output<boolean>;

  constructor(name: string, args: ReplicaPromotionArgs, opts: pulumi.CustomResourceOptions) {
    const props = { integrationId: undefined, promotedAt: undefined, promoted: undefined, ...withConfiguredToken(args) };
    super(typeToken("ReplicaPromotion"), name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiToken"] }));
  }
}

class PackageReplicationCheck extends pulumi.CustomResource implements ReplicationCheckResource {
  declare readonly lagMs: pulumi.Output<Record<string, number>>;
  declare readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: ReplicationCheckArgs, opts: pulumi.CustomResourceOptions) {
    const props = { lagMs: undefined, checkedAt: undefined, ...args };
    super(typeToken("ReplicationCheck"), name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["primaryUri", "replicas"] }));
  }
}

/**
 * The dynamic providers read `aiven:apiToken` when the engine configures them; this package's
 * provider is configured with its own package's settings instead, so the set hands the stack's
 * token to each resource as a secret input.
 */
function withConfiguredToken<T extends { apiToken?: pulumi.Input<string | undefined> }>(args: T): T {
  if (args.apiToken !== undefined) return args;
  const configured = pulumi.runtime.getConfig("aiven:apiToken");
  return configured === undefined ? args : { ...args, apiToken: pulumi.secret(configured) };
}

export const packageHelperResources: HelperResources = {
  primaryReadiness: (name, args, opts) => new PackagePrimaryReadiness(name, args, opts),
  replicaPromotion: (name, args, opts) => new PackageReplicaPromotion(name, args, opts),
  replicationCheck: (name, args, opts) => new PackageReplicationCheck(name, args, opts),
};

/** The ReadReplicaSet the package's provider constructs for programs in other languages. */
export class PackagedReadReplicaSet extends ReadReplicaSet {
  protected override helperResources(): HelperResources {
    return packageHelperResources;
  }
}
