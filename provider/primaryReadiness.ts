import * as pulumi from "@pulumi/pulumi";
import { isAivenApiError } from "./aivenClient";
import type { AivenClient } from "./aivenClient";
import type { AivenService } from "./aivenTypes";
import { rememberConfiguredToken } from "./credentials";
import { clientFor, diffByKeys, InputChecker, withoutToken } from "./dynamicCommon";
import { waitFor, waitSettings } from "./waitFor";

/** Aiven's limit of live read replicas per primary. */
export const MAX_LIVE_READ_REPLICAS = 5;

/** Plain inputs the PrimaryReadiness provider receives (SPEC section 4). */
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

/** Names of the services that replicate from `primary` now, sorted. */
export function liveReadReplicas(service: AivenService, primary: string): string[] {
  const names = (service.service_integrations ?? [])
    .filter((i) => i.integration_type === "read_replica" && i.source_service === primary && i.dest_service !== primary)
    .map((i) => i.dest_service);
  return [...new Set(names)].sort();
}

async function getPrimary(client: AivenClient, project: string, name: string): Promise<AivenService> {
  try {
    return await client.getService(project, name);
  } catch (e) {
    if (isAivenApiError(e, 404)) throw new Error(`project '${project}' has no service '${name}' to use as the primary (${e.message})`);
    throw e;
  }
}

async function ensureReady(inputs: PrimaryReadinessInputs): Promise<PrimaryReadinessOutputs> {
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
    describe: (s) => (inputs.requireBackup ? `${s.state}, backups: ${backups(s)}` : s.state),
  });

  const live = liveReadReplicas(service, serviceName);
  const managed = new Set(inputs.managedReplicas ?? []);
  const others = live.filter((name) => !managed.has(name));
  if (others.length + inputs.replicasToAdd > MAX_LIVE_READ_REPLICAS) {
    const listed = others.length > 0 ? ` (${others.map((n) => `'${n}'`).join(", ")})` : "";
    throw new Error(
      `primary '${serviceName}' already has ${others.length} live read replica(s) not managed by this set${listed}; ` +
        `adding ${inputs.replicasToAdd} would make ${others.length + inputs.replicasToAdd}, ` +
        `over Aiven's limit of ${MAX_LIVE_READ_REPLICAS} per primary`,
    );
  }
  return { ...withoutToken(inputs), state: service.state, backupCount: backups(service), liveReplicas: live.length };
}

function addsReplicas(olds: Partial<PrimaryReadinessOutputs>, news: PrimaryReadinessInputs): boolean {
  if (news.managedReplicas === undefined || olds.managedReplicas === undefined) {
    return news.replicasToAdd > (olds.replicasToAdd ?? 0);
  }
  const before = new Set(olds.managedReplicas);
  return news.managedReplicas.some((name) => !before.has(name));
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
      .rule("replicasToAdd", (v) =>
        Number.isInteger(v) && (v as number) >= 0 ? undefined : `${JSON.stringify(v) ?? "nothing"} must be a whole number, 0 or more`,
      )
      .rule("requireBackup", (v) => (typeof v === "boolean" ? undefined : `${JSON.stringify(v) ?? "nothing"} must be true or false`))
      .rule("managedReplicas", (v) =>
        v === undefined || (Array.isArray(v) && v.every((n) => typeof n === "string")) ? undefined : "must be a list of service names",
      )
      .positiveNumber("timeoutSeconds")
      .positiveNumber("pollSeconds")
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
    // The gate matters only for replicas about to be created. Without new ones (say a replica was
    // promoted after the primary failed) it records the primary's state and waits for nothing.
    if (!addsReplicas(olds as Partial<PrimaryReadinessOutputs>, news)) {
      return { outs: observed(news, await getPrimary(clientFor(news), news.project, news.serviceName)) };
    }
    return { outs: await ensureReady(news) };
  },

  async read(id, props) {
    const state = props as PrimaryReadinessOutputs;
    try {
      return { id, props: observed(state, await clientFor(state).getService(state.project, state.serviceName)) };
    } catch (e) {
      if (isAivenApiError(e, 404)) return { id: "" };
      throw e;
    }
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
