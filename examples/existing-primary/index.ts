// Read replicas for a Valkey primary that already exists and is managed elsewhere.
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "pulumi-aiven-read-replicas";

const config = new pulumi.Config();
const primaryName = config.require("primaryName");
const replicaCount = config.getNumber("replicaCount") ?? 2;

const set = new ReadReplicaSet(primaryName, {
  project: config.require("aivenProject"),
  // Adopted by name: this stack never creates, changes or deletes the primary.
  primary: { name: primaryName, existing: true },
  replicas: Array.from({ length: replicaCount }, (_, i) => ({ name: `${primaryName}-replica-${i + 1}` })),
  apiUrl: config.get("apiUrl"),
  pollSeconds: config.getNumber("pollSeconds"),
  timeoutSeconds: config.getNumber("timeoutSeconds"),
});

export const primaryServiceName = set.primaryServiceName;
export const replicaServiceNames = set.replicaServiceNames;
export const replicaHosts = set.replicas.map((replica) => replica.host);
