import * as pulumi from "@pulumi/pulumi";
import { ifNotFound } from "./aivenClient";
import type { AivenClient } from "./aivenClient";
import type { AivenIntegration, AivenService } from "./aivenTypes";
import { rememberConfiguredToken } from "./credentials";
import { clientFor, diffByKeys, InputChecker, withoutToken } from "./dynamicCommon";
import { incomingLinks, isFromPrimary, linkedTo } from "./readReplicaLinks";
import { logProgress, waitFor, waitSettings } from "./waitFor";
import type { ProgressLogger } from "./waitFor";

/** Plain inputs the ReplicaPromotion provider receives. */
export interface ReplicaPromotionInputs {
  project: string;
  primaryServiceName: string;
  replicaServiceName: string;
  apiUrl?: string;
  /** Only set when the user passed `apiToken` to the component; always a secret. */
  apiToken?: string;
  timeoutSeconds?: number;
  pollSeconds?: number;
}

export interface ReplicaPromotionOutputs extends Omit<ReplicaPromotionInputs, "apiToken"> {
  /** The read_replica integration removed, or null when it was already gone. */
  integrationId: string | null;
  promotedAt: string;
  /** False when a refresh finds the replica replicating again; the next update promotes it. */
  promoted: boolean;
}

export type ReplicaPromotionArgs = { [K in keyof ReplicaPromotionInputs]: pulumi.Input<ReplicaPromotionInputs[K]> };

/** A promotion that would have to delete something other than the one read_replica link from the primary. */
export class PromotionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    // Pulumi's closure serializer rewrites super() calls so that Error never sets the message.
    this.message = message;
    this.name = "PromotionRefusedError";
  }
}

/** The one integration to delete, none when already standalone; throws, changing nothing, otherwise. */
export function pickReadReplicaLink(
  integrations: AivenIntegration[],
  project: string,
  primary: string,
  replica: string,
): AivenIntegration | undefined {
  const incoming = incomingLinks(integrations, replica);
  const mine = incoming.filter((i) => isFromPrimary(i, project, primary));
  if (mine.length > 1) {
    const ids = mine.map((i) => i.service_integration_id).join(", ");
    throw new PromotionRefusedError(`'${replica}' has ${mine.length} read_replica integrations from '${primary}' (${ids}); expected one, so nothing was changed`);
  }
  if (mine.length === 1) return mine[0];
  if (incoming.length > 0) {
    const sources = incoming.map((i) => `'${i.source_service}'`).join(", ");
    throw new PromotionRefusedError(
      `'${replica}' in project '${project}' is a read replica of ${sources}, not of '${primary}'; nothing was changed`,
    );
  }
  return undefined;
}

function notFoundAsMissing<T>(project: string, service: string, call: Promise<T>): Promise<T> {
  return ifNotFound(call, (e) => {
    throw new Error(`project '${project}' has no service '${service}' to promote (${e.message})`);
  });
}

/** Which replica to promote, and from which primary. */
export interface PromotionTarget {
  project: string;
  primary: string;
  replica: string;
}

export interface PromotionResult {
  /** The read_replica integration this call deleted; null when there was none, or it was gone first. */
  integrationId: string | null;
  /** The read_replica integration found from the primary; null when the replica was already standalone. */
  found: string | null;
}

export interface PromoteOptions {
  /** Waits until the replica is RUNNING and standalone; false returns right after the delete. */
  wait: ReturnType<typeof waitSettings> | false;
  log?: ProgressLogger;
}

/**
 * Promotes `replica` by deleting exactly its read_replica integration from `primary`, and
 * nothing else. Idempotent: a replica with no such integration is already standalone. A replica
 * of another primary is refused before anything changes. The ReplicaPromotion provider and the
 * `aiven-read-replicas promote` command both run this.
 */
export async function promoteReplica(client: AivenClient, target: PromotionTarget, options: PromoteOptions): Promise<PromotionResult> {
  const { project, primary, replica } = target;
  const log = options.log ?? logProgress;
  const integrations = await notFoundAsMissing(project, replica, client.listServiceIntegrations(project, replica));
  const link = pickReadReplicaLink(integrations, project, primary, replica);
  let removed: string | null = null;
  if (link) {
    const id = link.service_integration_id;
    log(`promoting '${replica}': deleting its read_replica integration ${id} from '${primary}'`);
    removed = (await client.deleteIntegration(project, id)) ? id : null;
  } else {
    log(`'${replica}' has no read_replica integration: already a standalone service`);
  }

  if (options.wait) {
    await waitFor<AivenService>({
      what: `'${replica}' to be RUNNING as a standalone service`,
      deadline: options.wait.deadline,
      timeoutSeconds: options.wait.timeoutSeconds,
      pollMs: options.wait.pollMs,
      poll: () => notFoundAsMissing(project, replica, client.getService(project, replica)),
      done: (s) => s.state === "RUNNING" && !linkedTo(s, project, primary, replica),
      describe: (s) => `${s.state}${linkedTo(s, project, primary, replica) ? ", read_replica integration still present" : ""}`,
      log,
    });
  }
  return { integrationId: removed, found: link?.service_integration_id ?? null };
}

async function promote(inputs: ReplicaPromotionInputs, prior?: Partial<ReplicaPromotionOutputs>): Promise<ReplicaPromotionOutputs> {
  const target = { project: inputs.project, primary: inputs.primaryServiceName, replica: inputs.replicaServiceName };
  const { integrationId, found } = await promoteReplica(clientFor(inputs), target, { wait: waitSettings(inputs) });

  // An update of an already promoted replica that deleted nothing keeps what the promotion
  // recorded, including a promotion adopted after an automatic failover (integrationId null).
  const kept = found === null && prior?.promoted === true && typeof prior.promotedAt === "string" ? prior : undefined;
  return {
    ...withoutToken(inputs),
    integrationId: kept ? (kept.integrationId ?? null) : integrationId,
    promotedAt: kept?.promotedAt ?? new Date().toISOString(),
    promoted: true,
  };
}

/**
 * Self-contained on purpose: Pulumi serializes this object's closure into the state and runs it
 * in the dynamic provider host. It captures no token (see credentials.ts) and builds its HTTP
 * client inside each method.
 */
export const replicaPromotionProvider: pulumi.dynamic.ResourceProvider<ReplicaPromotionInputs, ReplicaPromotionOutputs> = {
  async configure(req) {
    rememberConfiguredToken(req.config.get("aiven:apiToken"));
  },

  async check(_olds, news) {
    const checker = new InputChecker(news as unknown as Record<string, unknown>)
      .project("project")
      .serviceName("primaryServiceName")
      .serviceName("replicaServiceName")
      .rule("replicaServiceName", (v) => (v === news.primaryServiceName ? `'${String(v)}' is the primary itself; name a replica of it` : undefined))
      .positiveSeconds("timeoutSeconds")
      .positiveSeconds("pollSeconds")
      .apiUrl("apiUrl");
    return { inputs: news, failures: checker.failures };
  },

  async diff(_id, olds, news) {
    return diffByKeys<ReplicaPromotionInputs>(
      olds,
      news,
      ["project", "primaryServiceName", "replicaServiceName"],
      ["apiUrl", "timeoutSeconds", "pollSeconds"],
      // A refresh that found the replica replicating again: the update promotes it again.
      (olds as Partial<ReplicaPromotionOutputs>).promoted === false,
    );
  },

  async create(inputs) {
    const outs = await promote(inputs);
    return { id: `${inputs.project}/${inputs.replicaServiceName}`, outs };
  },

  async update(_id, olds, news) {
    return { outs: await promote(news, olds as Partial<ReplicaPromotionOutputs>) };
  },

  async read(id, props) {
    const state = props as ReplicaPromotionOutputs;
    const service = await ifNotFound(clientFor(state).getService(state.project, state.replicaServiceName), () => undefined);
    if (service === undefined) return { id: "" };
    const promoted = !linkedTo(service, state.project, state.primaryServiceName, state.replicaServiceName);
    return { id, props: { ...withoutToken(state), promoted } };
  },

  async delete(_id, props) {
    logProgress(`promotion cannot be undone; '${props.replicaServiceName}' stays a standalone primary`);
  },
};

/** Promotes one read replica to a standalone primary by deleting its read_replica integration. */
export class ReplicaPromotion extends pulumi.dynamic.Resource {
  declare public readonly project: pulumi.Output<string>;
  declare public readonly primaryServiceName: pulumi.Output<string>;
  declare public readonly replicaServiceName: pulumi.Output<string>;
  declare public readonly integrationId: pulumi.Output<string | null>;
  declare public readonly promotedAt: pulumi.Output<string>;
  declare public readonly promoted: pulumi.Output<boolean>;

  constructor(name: string, args: ReplicaPromotionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      replicaPromotionProvider,
      name,
      { integrationId: undefined, promotedAt: undefined, promoted: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiToken"] }),
      "aiven-read-replicas",
      "ReplicaPromotion",
    );
  }
}
