import * as pulumi from "@pulumi/pulumi";

export interface ReplicaEndpoint {
  name: string;
  /** Secret: the replica's service URI. */
  uri: string;
}

/** Plain inputs the ReplicationCheck provider receives (SPEC section 6). */
export interface ReplicationCheckInputs {
  /** Secret: the primary's service URI. */
  primaryUri: string;
  /** The replicas that should replicate (promoted ones are left out). */
  replicas: ReplicaEndpoint[];
  timeoutSeconds?: number;
  pollSeconds?: number;
}

export interface ReplicationCheckOutputs extends ReplicationCheckInputs {
  /** Time from the canary write until each replica returned it, by replica name. */
  lagMs: Record<string, number>;
  checkedAt: string;
}

export type ReplicationCheckArgs = {
  primaryUri: pulumi.Input<string>;
  replicas: pulumi.Input<pulumi.Input<{ name: pulumi.Input<string>; uri: pulumi.Input<string> }>[]>;
  timeoutSeconds?: pulumi.Input<number>;
  pollSeconds?: pulumi.Input<number>;
};

// TODO(issue 6): the real provider (canary write, wait on every replica, delete the canary).
export const replicationCheckProvider: pulumi.dynamic.ResourceProvider<ReplicationCheckInputs, ReplicationCheckOutputs> = {
  async create(inputs) {
    return { id: "replication-check", outs: { ...inputs, lagMs: {}, checkedAt: new Date().toISOString() } };
  },
};

/** Writes a canary to the primary and waits until every listed replica returns it. */
export class ReplicationCheck extends pulumi.dynamic.Resource {
  declare public readonly lagMs: pulumi.Output<Record<string, number>>;
  declare public readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: ReplicationCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      replicationCheckProvider,
      name,
      { lagMs: undefined, checkedAt: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["primaryUri", "replicas"] }),
      "aiven-read-replicas",
      "ReplicationCheck",
    );
  }
}
