import * as pulumi from "@pulumi/pulumi";
import { diffByKeys, InputChecker, UNKNOWN } from "./dynamicCommon";
import { checkReplication } from "./replication";
import { DEFAULT_POLL_SECONDS, logProgress } from "./waitFor";

export interface ReplicaEndpoint {
  name: string;
  /** Secret: the replica's service URI. */
  uri: string;
}

/** Plain inputs the ReplicationCheck provider receives. */
export interface ReplicationCheckInputs {
  /** Secret: the primary's service URI. */
  primaryUri: string;
  /** The replicas that should replicate (promoted ones are left out). */
  replicas: ReplicaEndpoint[];
  /** How long each replica has to return the canary; default 300. */
  timeoutSeconds?: number;
  /** Delay between two reads of a replica; default 10, fractions allowed. */
  pollSeconds?: number;
}

export interface ReplicationCheckOutputs extends ReplicationCheckInputs {
  /** Time from the canary write until each replica returned it, by replica name. */
  lagMs: Record<string, number>;
  checkedAt: string;
}

export type ReplicationCheckArgs = {
  primaryUri: pulumi.Input<string>;
  replicas: pulumi.Input<pulumi.Input<{ name: pulumi.Input<string>; uri: pulumi.Input<string> }>[]>;
  timeoutSeconds?: pulumi.Input<number>;
  pollSeconds?: pulumi.Input<number>;
};

/** Replication normally catches up in milliseconds; minutes mean something is wrong. */
export const DEFAULT_REPLICATION_TIMEOUT_SECONDS = 300;

/** Check failures for the inputs; a URI is never quoted in a reason (it holds the password). */
export function replicationInputProblems(inputs: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const uriProblem = (v: unknown) => (typeof v === "string" && /^rediss?:\/\/\S+$/.test(v) ? undefined : "must be a redis:// or rediss:// service URI");
  const checker = new InputChecker(inputs)
    .rule("primaryUri", uriProblem)
    .rule("replicas", (v) => (Array.isArray(v) ? undefined : "must be a list of { name, uri }"))
    .positiveSeconds("timeoutSeconds")
    .positiveSeconds("pollSeconds");
  const replicas = Array.isArray(inputs.replicas) ? (inputs.replicas as unknown[]) : [];
  const seen = new Set<unknown>();
  replicas.forEach((r, i) => {
    if (r === UNKNOWN) return;
    const { name, uri } = (r ?? {}) as { name?: unknown; uri?: unknown };
    checker
      .at(`replicas[${i}].name`, name, (n) =>
        typeof n !== "string" || n === "" ? "must be a non-empty service name" : seen.has(n) ? `'${n}' is listed twice` : undefined,
      )
      .at(`replicas[${i}].uri`, uri, uriProblem);
    seen.add(name);
  });
  return checker.failures;
}

async function runCheck(inputs: ReplicationCheckInputs): Promise<ReplicationCheckOutputs> {
  const report = await checkReplication({
    primaryUri: inputs.primaryUri,
    replicas: inputs.replicas.map((r) => ({ name: r.name, uri: r.uri })),
    timeoutMs: (inputs.timeoutSeconds ?? DEFAULT_REPLICATION_TIMEOUT_SECONDS) * 1000,
    pollMs: Math.max(1, Math.round((inputs.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000)),
    log: logProgress,
  });
  return { ...inputs, lagMs: report.lagMs, checkedAt: new Date().toISOString() };
}

/**
 * Self-contained on purpose: Pulumi serializes this object's closure into the state and runs it
 * in the dynamic provider host. The URIs arrive as (secret) inputs; the Redis clients are built
 * inside each call and closed before it returns.
 */
export const replicationCheckProvider: pulumi.dynamic.ResourceProvider<ReplicationCheckInputs, ReplicationCheckOutputs> = {
  async check(_olds, news) {
    return { inputs: news, failures: replicationInputProblems(news as unknown as Record<string, unknown>) };
  },

  // Any change re-runs the check in place: there is nothing in Aiven to replace.
  async diff(_id, olds, news) {
    return diffByKeys<ReplicationCheckInputs>(olds, news, [], ["primaryUri", "replicas", "timeoutSeconds", "pollSeconds"]);
  },

  async create(inputs) {
    return { id: "replication-check", outs: await runCheck(inputs) };
  },

  async update(_id, _olds, news) {
    return { outs: await runCheck(news) };
  },

  async read(id, props) {
    return { id, props };
  },

  // The canary is deleted at the end of each check: nothing is left to remove.
  async delete() {},
};

/** Writes a canary to the primary and waits until every listed replica returns it. */
export class ReplicationCheck extends pulumi.dynamic.Resource {
  declare public readonly lagMs: pulumi.Output<Record<string, number>>;
  declare public readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: ReplicationCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      replicationCheckProvider,
      name,
      { lagMs: undefined, checkedAt: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["primaryUri", "replicas"] }),
      "aiven-read-replicas",
      "ReplicationCheck",
    );
  }
}
