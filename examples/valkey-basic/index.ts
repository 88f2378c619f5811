// A Valkey primary in Google Cloud with two read replicas: one beside it, one in AWS.
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "pulumi-aiven-read-replicas";

const config = new pulumi.Config();
const prefix = config.get("namePrefix") ?? "cache";
// Replica names to promote to standalone primaries, comma-separated (irreversible).
const promote = new Set((config.get("promote") ?? "").split(",").map((name) => name.trim()));

const set = new ReadReplicaSet(prefix, {
  project: config.require("aivenProject"),
  primary: { name: `${prefix}-primary`, plan: "business-4", cloud: "google-europe-west1" },
  replicas: [
    { name: `${prefix}-replica-gcp`, promote: promote.has(`${prefix}-replica-gcp`) },
    { name: `${prefix}-replica-aws`, cloud: "aws-eu-west-1", promote: promote.has(`${prefix}-replica-aws`) },
  ],
  verifyReplication: config.getBoolean("verifyReplication") ?? true,
  // Unset on Aiven; the emulator's URL offline (AIVEN_WEB_URL works too).
  apiUrl: config.get("apiUrl"),
  pollSeconds: config.getNumber("pollSeconds"),
  timeoutSeconds: config.getNumber("timeoutSeconds"),
});

export const primaryServiceName = set.primaryServiceName;
export const replicaServiceNames = set.replicaServiceNames;
export const writeEndpoint = set.writeEndpoint;
export const replicas = set.replicas.map((replica) => ({
  name: replica.name,
  host: replica.host,
  port: replica.port,
  promoted: replica.promoted,
}));
