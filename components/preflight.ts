import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import { MAX_LIVE_READ_REPLICAS } from "../provider/primaryReadiness";
import { cloudProblem, describeValue, projectProblem, serviceNameProblem } from "../provider/rules";
import type { ReadReplicaSetArgs } from "./readReplicaSetArgs";

/** One broken rule: `path` is the argument path, e.g. `replicas[2].plan`. */
export interface PreflightIssue {
  path: string;
  message: string;
}

/** Thrown by the ReadReplicaSet constructor before anything is registered; lists every issue. */
export class PreflightError extends Error {
  readonly issues: PreflightIssue[];

  constructor(issues: PreflightIssue[]) {
    const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
    super(`ReadReplicaSet preflight failed with ${issues.length} issue(s):\n${lines.join("\n")}`);
    this.name = "PreflightError";
    this.issues = issues;
  }
}

export const DEFAULT_REPLICA_PLAN = "startup-4";
export const SERVICE_TYPES = ["valkey", "caching", "redis"] as const;
export { cloudProblem, projectProblem };

/** Flags are checked for their type: a string "false" is truthy and would start a promotion. */
function booleanProblem(value: unknown): string | undefined {
  return value === undefined || typeof value === "boolean" ? undefined : `${describeValue(value)} must be true or false`;
}

function positiveNumberProblem(value: unknown): string | undefined {
  return value === undefined || (typeof value === "number" && Number.isFinite(value) && value > 0)
    ? undefined
    : `${describeValue(value)} must be a positive number of seconds`;
}

/** A plain value is checked now; an Output is checked by the caller when it resolves. */
function isPlain(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * Checks a ReadReplicaSet's arguments against every preflight rule and returns all issues.
 * Pure: no Pulumi runtime, no network, so CI pipelines and policy packs can call it.
 */
export function validateReadReplicaSet(args: ReadReplicaSetArgs): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const add = (path: string, message: string | undefined) => {
    if (message !== undefined) issues.push({ path, message });
  };

  if (isPlain(args.project)) add("project", projectProblem(args.project));

  const serviceType = args.serviceType ?? "valkey";
  if (!(SERVICE_TYPES as readonly string[]).includes(serviceType)) {
    add(
      "serviceType",
      `'${serviceType}' is not supported; use one of ${SERVICE_TYPES.join(", ")}. ` +
        "Read replicas work only within one service type, and Dragonfly is not supported",
    );
  } else if (serviceType !== "valkey" && typeof (aiven as { Redis?: unknown }).Redis !== "function") {
    add(
      "serviceType",
      `'${serviceType}' needs aiven.Redis, which the installed @pulumi/aiven no longer has ` +
        "(Aiven for Caching reached end of life on 2025-03-31); use 'valkey'",
    );
  }

  const replicaPlans = args.replicaPlans ?? [DEFAULT_REPLICA_PLAN];
  replicaPlans.forEach((plan, i) => {
    if (!/^startup-/.test(plan)) {
      add(`replicaPlans[${i}]`, `'${plan}' is not a startup plan; Aiven creates read replicas only on startup plans`);
    }
  });

  const seenNames = new Set<string>();
  const checkName = (path: string, name: unknown) => {
    add(path, serviceNameProblem(name));
    if (typeof name !== "string") return;
    if (seenNames.has(name)) add(path, `'${name}' is already used by another service of this set; names must be unique`);
    seenNames.add(name);
  };

  const primary = args.primary;
  if (primary === undefined || primary === null || typeof primary !== "object") {
    add("primary", "is required: give at least { name, plan }");
  } else {
    checkName("primary.name", primary.name);
    add("primary.existing", booleanProblem(primary.existing));
    if (primary.existing) {
      if (primary.plan !== undefined) {
        add("primary.plan", "cannot be set with existing: true; an adopted primary keeps its own plan");
      }
      if (primary.cloud !== undefined) {
        add("primary.cloud", "cannot be set with existing: true; an adopted primary keeps its own cloud, and replicas default to it");
      }
      if (primary.terminationProtection !== undefined) {
        add("primary.terminationProtection", "cannot be set with existing: true; this set does not manage the adopted primary");
      }
    } else if (primary.plan === undefined || primary.plan === "") {
      add("primary.plan", "is required unless existing: true, e.g. 'business-4'");
    } else if (/^free-/.test(primary.plan)) {
      add("primary.plan", `'${primary.plan}' has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'`);
    }
    if (!primary.existing) {
      if (primary.cloud !== undefined && isPlain(primary.cloud)) add("primary.cloud", cloudProblem(primary.cloud));
      add("primary.terminationProtection", booleanProblem(primary.terminationProtection));
    }
  }

  const replicas = args.replicas;
  if (!Array.isArray(replicas)) {
    add("replicas", "must be a list of replicas (it may be empty)");
  } else {
    replicas.forEach((replica, i) => {
      const path = `replicas[${i}]`;
      if (replica === undefined || replica === null || typeof replica !== "object") {
        add(path, "must be an object with at least a name");
        return;
      }
      checkName(`${path}.name`, replica.name);
      const plan = replica.plan ?? DEFAULT_REPLICA_PLAN;
      if (!replicaPlans.includes(plan)) {
        add(`${path}.plan`, `'${plan}' is not a read replica plan; allowed: ${replicaPlans.join(", ")}`);
      }
      if (replica.cloud !== undefined && isPlain(replica.cloud)) add(`${path}.cloud`, cloudProblem(replica.cloud));
      add(`${path}.promote`, booleanProblem(replica.promote));
      add(`${path}.terminationProtection`, booleanProblem(replica.terminationProtection));
    });
    const live = replicas.filter((replica) => replica && !replica.promote).length;
    if (live > MAX_LIVE_READ_REPLICAS) {
      add("replicas", `${live} replicas that are not promoted; Aiven allows at most ${MAX_LIVE_READ_REPLICAS} read replicas per primary`);
    }
  }

  add("waitForBackup", booleanProblem(args.waitForBackup));
  add("verifyReplication", booleanProblem(args.verifyReplication));

  if (args.failoverTo !== undefined) {
    const target = Array.isArray(replicas) ? replicas.find((replica) => replica?.name === args.failoverTo) : undefined;
    if (target === undefined) {
      add("failoverTo", `'${args.failoverTo}' is not a replica of this set; name a replica that has promote: true`);
    } else if (!target.promote) {
      add("failoverTo", `'${args.failoverTo}' is not promoted; set promote: true on it to fail over to it`);
    }
  }

  add("timeoutSeconds", positiveNumberProblem(args.timeoutSeconds));
  add("pollSeconds", positiveNumberProblem(args.pollSeconds));

  return issues;
}
