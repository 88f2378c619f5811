import * as pulumi from "@pulumi/pulumi";
import type { PrimarySpec, ReadReplicaSetArgs, ReplicaSpec } from "../components/readReplicaSetArgs";

/**
 * Builds ReadReplicaSet arguments from the stack's structured config, so a GitOps pipeline
 * deploys by `pulumi config set --path ...` alone. Shape checks are left to preflight, which
 * reports every problem with its path.
 */
export function stackArgsFromConfig(config: pulumi.Config): ReadReplicaSetArgs {
  return {
    project: config.require("project"),
    serviceType: config.get("serviceType") as ReadReplicaSetArgs["serviceType"],
    primary: config.requireObject<PrimarySpec>("primary"),
    replicas: config.getObject<ReplicaSpec[]>("replicas") ?? [],
    apiUrl: config.get("apiUrl"),
    replicaPlans: config.getObject<string[]>("replicaPlans"),
    waitForBackup: config.getBoolean("waitForBackup"),
    verifyReplication: config.getBoolean("verifyReplication"),
    failoverTo: config.get("failoverTo"),
    timeoutSeconds: config.getNumber("timeoutSeconds"),
    pollSeconds: config.getNumber("pollSeconds"),
  };
}
