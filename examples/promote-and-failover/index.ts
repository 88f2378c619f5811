// A primary in Europe with replicas in Europe and the US. With `failover: true` the US replica is
// promoted to a standalone primary and becomes the write endpoint that applications read below.
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "pulumi-aiven-read-replicas";

const config = new pulumi.Config();
const failover = config.getBoolean("failover") ?? false;

const set = new ReadReplicaSet("sessions", {
  project: config.require("aivenProject"),
  primary: { name: "sessions", plan: "business-4", cloud: "google-europe-west1" },
  replicas: [
    { name: "sessions-eu" },
    { name: "sessions-us", cloud: "aws-us-east-1", promote: failover },
  ],
  failoverTo: failover ? "sessions-us" : undefined,
  apiUrl: config.get("apiUrl"),
  pollSeconds: config.getNumber("pollSeconds"),
  timeoutSeconds: config.getNumber("timeoutSeconds"),
});

/** Secret: the URI applications write to; it follows the failover. */
export const writeEndpoint = set.writeEndpoint;
export const writeService = failover ? set.replicas[1].service.serviceName : set.primaryServiceName;
export const replicaServiceNames = set.replicaServiceNames;
