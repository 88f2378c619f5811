import * as pulumi from "@pulumi/pulumi";

/** Plain inputs the PrimaryReadiness provider receives (SPEC section 4). */
export interface PrimaryReadinessInputs {
  project: string;
  serviceName: string;
  /** Aiven's service type: `valkey` or `redis`. */
  serviceType: "valkey" | "redis";
  replicasToAdd: number;
  requireBackup: boolean;
  apiUrl?: string;
  /** Only set when the user passed `apiToken` to the component; always a secret. */
  apiToken?: string;
  timeoutSeconds?: number;
  pollSeconds?: number;
}

export interface PrimaryReadinessOutputs extends PrimaryReadinessInputs {
  state: string;
  backupCount: number;
  liveReplicas: number;
}

export type PrimaryReadinessArgs = { [K in keyof PrimaryReadinessInputs]: pulumi.Input<PrimaryReadinessInputs[K]> };

// TODO(issue 3): the real provider (wait for RUNNING and the first backup, enforce the 5-replica limit).
export const primaryReadinessProvider: pulumi.dynamic.ResourceProvider<PrimaryReadinessInputs, PrimaryReadinessOutputs> = {
  async create(inputs) {
    const outs: PrimaryReadinessOutputs = { ...inputs, state: "RUNNING", backupCount: 0, liveReplicas: 0 };
    return { id: `${inputs.project}/${inputs.serviceName}`, outs };
  },
};

/** Waits, before any replica is created, until the primary can take read replicas. */
export class PrimaryReadiness extends pulumi.dynamic.Resource {
  declare public readonly state: pulumi.Output<string>;
  declare public readonly backupCount: pulumi.Output<number>;
  declare public readonly liveReplicas: pulumi.Output<number>;

  constructor(name: string, args: PrimaryReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      primaryReadinessProvider,
      name,
      { state: undefined, backupCount: undefined, liveReplicas: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiToken"] }),
      "aiven-read-replicas",
      "PrimaryReadiness",
    );
  }
}
