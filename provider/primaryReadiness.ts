import * as pulumi from "@pulumi/pulumi";
import { ifNotFound } from "./aivenClient";
import type { AivenClient } from "./aivenClient";
import type { AivenService } from "./aivenTypes";
import { rememberConfiguredToken } from "./credentials";
import { clientFor, diffByKeys, InputChecker, withoutToken } from "./dynamicCommon";
import { incomingLinks, liveReadReplicas } from "./readReplicaLinks";
import { describeValue, MAX_LIVE_READ_REPLICAS } from "./rules";
import { waitFor, waitSettings } from "./waitFor";

/** Plain inputs the PrimaryReadiness provider receives. */
export interface PrimaryReadinessInputs {
  project: string;
  serviceName: string;
  /** Aiven's service type: `valkey` or `redis`. */
  serviceType: "valkey" | "redis";
  /** Read replicas the set will have live (its non-promoted replicas). */
  replicasToAdd: number;
  requireBackup: boolean;
  /**
   * Names of the replicas the set declares. Live replicas with these names are already counted in
   * `replicasToAdd`, so an update after they exist does not count them twice. Default: none.
   */
  managedReplicas?: string[];
  apiUrl?: string;
  /** Only set when the user passed `apiToken` to the component; always a secret. */
  apiToken?: string;
  timeoutSeconds?: number;
  pollSeconds?: number;
}

export interface PrimaryReadinessOutputs extends Omit<PrimaryReadinessInputs, "apiToken"> {
  state: string;
  backupCount: number;
  /** All live read replicas of the primary when last checked, managed ones included. */
  liveReplicas: number;
}

export type PrimaryReadinessArgs = { [K in keyof PrimaryReadinessInputs]: pulumi.Input<PrimaryReadinessInputs[K]> };

function getPrimary(client: AivenClient, project: string, name: string): Promise<AivenService> {
  return ifNotFound(client.getService(project, name), (e) => {
    throw new Error(`project '${project}' has no service '${name}' to use as the primary (${e.message})`);
  });
}

/** The source of a managed replica's read_replica link; `missing` when the replica does not exist yet. */
async function replicaSource(
  client: AivenClient,
  project: string,
  name: string,
): Promise<{ name: string; missing: boolean; source?: string }> {
  const service = await ifNotFound(client.getService(project, name), () => undefined);
  return service === undefined ? { name, missing: true } : { name, missing: false, source: incomingLinks(service.service_integrations, name)[0]?.source_service };
}

/**
 * The replicas this run will create. With `managedReplicas` (the set's replicas that are not
 * promoted): the named replicas that do not exist yet. Without: the growth of `replicasToAdd`.
 */
async function replicasToCreate(
  client: AivenClient,
  inputs: PrimaryReadinessInputs,
  olds?: Partial<PrimaryReadinessInputs>,
): Promise<string[] | number> {
  if (inputs.managedReplicas === undefined) return Math.max(0, inputs.replicasToAdd - (olds?.replicasToAdd ?? 0));
  const standings = await Promise.all(inputs.managedReplicas.map((name) => replicaSource(client, inputs.project, name)));
  const elsewhere = standings.filter((s) => s.source !== undefined && s.source !== inputs.serviceName);
  if (elsewhere.length > 0) {
    const which = elsewhere.map((s) => `'${s.name}' replicates from '${s.source}'`).join(", ");
    throw new Error(
      `${which}, not from '${inputs.serviceName}': Aiven cannot move a read replica to another primary, so no replica ` +
        `was changed. Give those replicas new names (they are then created from '${inputs.serviceName}' and the old ones ` +
        "deleted), or keep the primary's name",
    );
  }
  return standings.filter((s) => s.missing).map((s) => s.name);
}

const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(", ");

/** Gates replica creation: the primary is RUNNING (with a backup) and stays within 5 replicas. */
async function ensureReady(inputs: PrimaryReadinessInputs, olds?: Partial<PrimaryReadinessInputs>): Promise<PrimaryReadinessOutputs> {
  const { project, serviceName } = inputs;
  const wait = waitSettings(inputs);
  const client = clientFor(inputs);

  let pending: AivenService | undefined = await getPrimary(client, project, serviceName);
  if (pending.service_type !== inputs.serviceType) {
    throw new Error(
      `'${serviceName}' in project '${project}' is a '${pending.service_type}' service, not '${inputs.serviceType}'; ` +
        "a read replica must have its primary's service type",
    );
  }
  const creating = await replicasToCreate(client, inputs, olds);
  const adding = typeof creating === "number" ? creating : creating.length;
  // Nothing to gate (say a replica was promoted after the primary failed): record, wait for nothing.
  if (adding === 0) return observed(inputs, pending);

  const backups = (s: AivenService) => s.backups?.length ?? 0;
  const service = await waitFor<AivenService>({
    what: `primary '${serviceName}' to be RUNNING${inputs.requireBackup ? " with a first backup" : ""}`,
    deadline: wait.deadline,
    timeoutSeconds: wait.timeoutSeconds,
    pollMs: wait.pollMs,
    poll: async () => {
      const next = pending ?? (await getPrimary(client, project, serviceName));
      pending = undefined;
      return next;
    },
    done: (s) => s.state === "RUNNING" && (!inputs.requireBackup || backups(s) >= 1),
    // A powered-off (failed) primary does not come back by itself: say so now, not at the deadline.
    fail: (s) =>
      s.state === "POWEROFF"
        ? `primary '${serviceName}' is POWEROFF and cannot take read replicas; power it on, or fail over to a promoted replica (failoverTo)`
        : undefined,
    describe: (s) => (inputs.requireBackup ? `${s.state}, backups: ${backups(s)}` : s.state),
  });

  const live = liveReadReplicas(service, serviceName);
  if (live.length + adding > MAX_LIVE_READ_REPLICAS) {
    const listed = live.length > 0 ? ` (${quoted(live)})` : "";
    const named = typeof creating === "number" ? "" : ` (${quoted(creating)})`;
    throw new Error(
      `primary '${serviceName}' has ${live.length} live read replica(s)${listed}; creating ${adding} more${named} ` +
        `would make ${live.length + adding}, over Aiven's limit of ${MAX_LIVE_READ_REPLICAS} per primary`,
    );
  }
  return observed(inputs, service);
}

function observed(inputs: PrimaryReadinessInputs, service: AivenService): PrimaryReadinessOutputs {
  return {
    ...withoutToken(inputs),
    state: service.state,
    backupCount: service.backups?.length ?? 0,
    liveReplicas: liveReadReplicas(service, inputs.serviceName).length,
  };
}

/**
 * Self-contained on purpose: Pulumi serializes this object's closure into the state and runs it
 * in the dynamic provider host. It captures no token (see credentials.ts) and builds its HTTP
 * client inside each method.
 */
export const primaryReadinessProvider: pulumi.dynamic.ResourceProvider<PrimaryReadinessInputs, PrimaryReadinessOutputs> = {
  async configure(req) {
    rememberConfiguredToken(req.config.get("aiven:apiToken"));
  },

  async check(_olds, news) {
    const checker = new InputChecker(news as unknown as Record<string, unknown>)
      .project("project")
      .serviceName("serviceName")
      .oneOf("serviceType", ["valkey", "redis"])
      .rule("replicasToAdd", (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : `${describeValue(v)} must be a whole number, 0 or more`))
      .flag("requireBackup", true)
      .rule("managedReplicas", (v) =>
        v === undefined || (Array.isArray(v) && v.every((n) => typeof n === "string")) ? undefined : "must be a list of service names",
      )
      .positiveSeconds("timeoutSeconds")
      .positiveSeconds("pollSeconds")
      .apiUrl("apiUrl");
    return { inputs: news, failures: checker.failures };
  },

  async diff(_id, olds, news) {
    return diffByKeys<PrimaryReadinessInputs>(
      olds,
      news,
      ["project", "serviceName"],
      ["serviceType", "replicasToAdd", "requireBackup", "managedReplicas", "apiUrl", "timeoutSeconds", "pollSeconds"],
    );
  },

  async create(inputs) {
    return { id: `${inputs.project}/${inputs.serviceName}`, outs: await ensureReady(inputs) };
  },

  async update(_id, olds, news) {
    return { outs: await ensureReady(news, olds) };
  },

  async read(id, props) {
    const state = props as PrimaryReadinessOutputs;
    const service = await ifNotFound(clientFor(state).getService(state.project, state.serviceName), () => undefined);
    return service === undefined ? { id: "" } : { id, props: observed(state, service) };
  },

  // Nothing to undo: the check created nothing in Aiven.
  async delete() {},
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
