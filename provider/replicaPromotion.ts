import * as pulumi from "@pulumi/pulumi";

/** Plain inputs the ReplicaPromotion provider receives (SPEC section 4). */
export interface ReplicaPromotionInputs {
  project: string;
  primaryServiceName: string;
  replicaServiceName: string;
  apiUrl?: string;
  /** Only set when the user passed `apiToken` to the component; always a secret. */
  apiToken?: string;
  timeoutSeconds?: number;
  pollSeconds?: number;
}

export interface ReplicaPromotionOutputs extends ReplicaPromotionInputs {
  /** The read_replica integration removed, or null when it was already gone. */
  integrationId: string | null;
  promotedAt: string;
}

export type ReplicaPromotionArgs = { [K in keyof ReplicaPromotionInputs]: pulumi.Input<ReplicaPromotionInputs[K]> };

// TODO(issue 3): the real provider (list integrations, delete the read_replica one, wait for RUNNING).
export const replicaPromotionProvider: pulumi.dynamic.ResourceProvider<ReplicaPromotionInputs, ReplicaPromotionOutputs> = {
  async create(inputs) {
    const outs: ReplicaPromotionOutputs = { ...inputs, integrationId: null, promotedAt: new Date().toISOString() };
    return { id: `${inputs.project}/${inputs.replicaServiceName}`, outs };
  },
};

/** Promotes one read replica to a standalone primary by deleting its read_replica integration. */
export class ReplicaPromotion extends pulumi.dynamic.Resource {
  declare public readonly project: pulumi.Output<string>;
  declare public readonly primaryServiceName: pulumi.Output<string>;
  declare public readonly replicaServiceName: pulumi.Output<string>;
  declare public readonly integrationId: pulumi.Output<string | null>;
  declare public readonly promotedAt: pulumi.Output<string>;

  constructor(name: string, args: ReplicaPromotionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      replicaPromotionProvider,
      name,
      { integrationId: undefined, promotedAt: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiToken"] }),
      "aiven-read-replicas",
      "ReplicaPromotion",
    );
  }
}
