// The cross-cluster replication flow of Aiven's Caching (Redis) docs: a business-4 primary and a
// startup-4 replica. Aiven for Caching reached end of life on 2025-03-31: the component warns.
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "pulumi-aiven-read-replicas";

const config = new pulumi.Config();

const set = new ReadReplicaSet("legacy-cache", {
  project: config.require("aivenProject"),
  serviceType: "caching",
  primary: { name: "legacy-cache-primary", plan: "business-4", cloud: config.get("cloud") ?? "google-europe-west1" },
  replicas: [{ name: "legacy-cache-replica", plan: "startup-4", promote: config.getBoolean("promote") ?? false }],
  apiUrl: config.get("apiUrl"),
  pollSeconds: config.getNumber("pollSeconds"),
  timeoutSeconds: config.getNumber("timeoutSeconds"),
});

export const primaryServiceName = set.primaryServiceName;
export const replicaServiceNames = set.replicaServiceNames;
export const writeEndpoint = set.writeEndpoint;
