// The demo's stack: examples/valkey-basic (a primary in Google Cloud, replicas there and in AWS)
// with the failover of examples/promote-and-failover, driven by config so that each step of the
// demo is the same program with other settings, as a user would run `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "../index";

export const PRIMARY = "cache-primary";
export const REPLICA_GCP = "cache-replica-gcp";
export const REPLICA_AWS = "cache-replica-aws";

/** Config: aivenProject, apiUrl, pollSeconds, verifyReplication, promote (names, comma-separated), failoverTo. */
export async function demoProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const promote = new Set((config.get("promote") ?? "").split(",").map((name) => name.trim()));
  const set = new ReadReplicaSet("cache", {
    project: config.require("aivenProject"),
    primary: { name: PRIMARY, plan: "business-4", cloud: "google-europe-west1" },
    replicas: [
      { name: REPLICA_GCP, promote: promote.has(REPLICA_GCP) },
      { name: REPLICA_AWS, cloud: "aws-eu-west-1", promote: promote.has(REPLICA_AWS) },
    ],
    failoverTo: config.get("failoverTo") || undefined,
    verifyReplication: config.getBoolean("verifyReplication") ?? false,
    apiUrl: config.get("apiUrl"),
    pollSeconds: config.getNumber("pollSeconds"),
  });
  return { primaryServiceName: set.primaryServiceName, replicaServiceNames: set.replicaServiceNames, writeEndpoint: set.writeEndpoint };
}
