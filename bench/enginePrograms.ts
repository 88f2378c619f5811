// The two programs `npm run bench:engine` compares: a ReadReplicaSet of one primary and five
// replicas, and the same six services written by hand with bare @pulumi/aiven.
import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";

/** The package as the program imports it (the installed copy, as a user has it). */
export type Package = Pick<typeof import("../index"), "ReadReplicaSet">;

export const REPLICAS = 5;
const PRIMARY_PLAN = "business-4";
const REPLICA_PLAN = "startup-4";
const CLOUD = "google-europe-west1";

export const primaryName = (prefix: string) => `${prefix}-primary`;
export const replicaNames = (prefix: string) => Array.from({ length: REPLICAS }, (_, i) => `${prefix}-replica-${i + 1}`);

/** Config: aivenProject, prefix, apiUrl, pollSeconds, promote (a replica name, optional). */
export const setProgram = ({ ReadReplicaSet }: Package): PulumiFn => async () => {
  const config = new pulumi.Config();
  const prefix = config.require("prefix");
  const promote = config.get("promote");
  const set = new ReadReplicaSet(prefix, {
    project: config.require("aivenProject"),
    primary: { name: primaryName(prefix), plan: PRIMARY_PLAN, cloud: CLOUD },
    replicas: replicaNames(prefix).map((name) => ({ name, plan: REPLICA_PLAN, promote: name === promote })),
    // The zero-delay emulator runs no engines: there is no data to check.
    verifyReplication: false,
    apiUrl: config.require("apiUrl"),
    pollSeconds: config.requireNumber("pollSeconds"),
  });
  return { replicaServiceNames: set.replicaServiceNames };
};

/** The same services with bare @pulumi/aiven: what a user writes without the component. */
export const bareProgram: PulumiFn = async () => {
  const config = new pulumi.Config();
  const prefix = config.require("prefix");
  const project = config.require("aivenProject");
  const primary = new aiven.Valkey(primaryName(prefix), { project, serviceName: primaryName(prefix), plan: PRIMARY_PLAN, cloudName: CLOUD });
  const replicas = replicaNames(prefix).map(
    (name) =>
      new aiven.Valkey(
        name,
        {
          project,
          serviceName: name,
          plan: REPLICA_PLAN,
          cloudName: CLOUD,
          serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: primary.serviceName }],
        },
        { ignoreChanges: ["serviceIntegrations"] },
      ),
  );
  return { replicaServiceNames: pulumi.all(replicas.map((r) => r.serviceName)) };
};
