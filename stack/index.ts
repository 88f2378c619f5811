import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "../components/readReplicaSet";
import { stackArgsFromConfig } from "./stackArgs";

const config = new pulumi.Config();
const set = new ReadReplicaSet(config.get("name") ?? "read-replicas", stackArgsFromConfig(config));

export const primaryServiceName = set.primaryServiceName;
export const replicaServiceNames = set.replicaServiceNames;
export const promotedReplicas = set.replicas.filter((replica) => replica.promoted).map((replica) => replica.name);
export const replicaHosts = pulumi.all(
  Object.fromEntries(set.replicas.map((replica) => [replica.name, pulumi.interpolate`${replica.host}:${replica.port}`])),
);
export const primaryUri = set.primaryUri;
export const writeEndpoint = set.writeEndpoint;
export const replicationLagMs = set.replicationCheck?.lagMs;
