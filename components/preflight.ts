import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import {
  booleanProblem,
  cloudProblem,
  describeValue,
  liveReplicaCountProblem,
  positiveSecondsProblem,
  primaryPlanProblem,
  projectProblem,
  replicaPlanProblem,
  replicaPlansProblem,
  SAME_SERVICE_TYPE_RULE,
  serviceNameProblem,
  startupPlanProblem,
} from "../provider/rules";
import type { ReadReplicaSetArgs } from "./readReplicaSetArgs";
import { ServiceType } from "./serviceType";

/** One broken rule: `path` is the argument path, e.g. `replicas[2].plan`. */
export interface PreflightIssue {
  path: string;
  message: string;
}

/**
 * Thrown by the ReadReplicaSet constructor before anything is registered; lists every issue.
 * An InputPropertiesError, so that the engine shows each bad argument by its path.
 */
export class PreflightError extends pulumi.InputPropertiesError {
  readonly issues: PreflightIssue[];

  constructor(issues: PreflightIssue[]) {
    const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
    super({
      message: `ReadReplicaSet preflight failed with ${issues.length} issue(s):\n${lines.join("\n")}`,
      errors: issues.map((issue) => ({ propertyPath: issue.path, reason: issue.message })),
    });
    this.name = "PreflightError";
    this.issues = issues;
  }
}

export const DEFAULT_REPLICA_PLAN = "startup-4";
export const SERVICE_TYPES: readonly ServiceType[] = Object.values(ServiceType);
export { cloudProblem, projectProblem };

function serviceTypeProblem(serviceType: unknown): string | undefined {
  if (!(SERVICE_TYPES as readonly unknown[]).includes(serviceType)) {
    return `${describeValue(serviceType)} is not supported; use one of ${SERVICE_TYPES.join(", ")}. ${SAME_SERVICE_TYPE_RULE}`;
  }
  if (serviceType !== "valkey" && typeof (aiven as { Redis?: unknown }).Redis !== "function") {
    return (
      `'${String(serviceType)}' needs aiven.Redis, which the installed @pulumi/aiven no longer has ` +
      "(Aiven for Caching reached end of life on 2025-03-31); use 'valkey'"
    );
  }
  return undefined;
}

/** A plain value is checked now; an Output is checked by the caller when it resolves. */
function isPlain(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function errorText(e: unknown): string {
  try {
    if (e instanceof Error && typeof e.message === "string" && e.message !== "") return e.message;
  } catch {
    // a message getter that throws: describe the value instead
  }
  return describeValue(e);
}

const ARG_KEYS = ["project", "serviceType", "primary", "replicas", "replicaPlans", "waitForBackup", "verifyReplication", "failoverTo", "timeoutSeconds", "pollSeconds"] as const;
const SPEC_KEYS = ["name", "plan", "cloud", "existing", "promote", "terminationProtection"] as const;

/**
 * Checks a ReadReplicaSet's arguments against every preflight rule and returns all issues.
 * Pure: no Pulumi runtime, no network, so CI pipelines and policy packs can call it. Values that
 * came from configuration or YAML may have any shape, so it never throws: whatever it is given
 * becomes an issue with a path.
 */
export function validateReadReplicaSet(args: ReadReplicaSetArgs): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  // A field whose getter threw gets that issue only; its value is read as undefined.
  const unreadable = new Set<string>();
  const add = (path: string, message: string | undefined) => {
    if (message !== undefined && !unreadable.has(path)) issues.push({ path, message });
  };
  /** Reads each field once (a getter may throw, or answer differently the next time). */
  const read = (source: object, key: string, path: string): unknown => {
    try {
      return (source as Record<string, unknown>)[key];
    } catch (e) {
      add(path, `could not be read: ${errorText(e)}`);
      unreadable.add(path);
      return undefined;
    }
  };
  const snapshot: Snapshot = (source, keys, prefix) =>
    Object.fromEntries(keys.map((key) => [key, read(source, key, prefix ? `${prefix}.${key}` : key)])) as never;

  try {
    if (args === undefined) {
      add("args", "is required: give an object with project, primary and replicas");
    } else if (!isRecord(args)) {
      add("args", `${describeValue(args)} must be an object with project, primary and replicas`);
    } else {
      checkArgs(snapshot(args, ARG_KEYS, ""), add, { read, snapshot });
    }
  } catch (e) {
    // Only an exotic object (a revoked Proxy, say) gets here; it is still an issue, not a crash.
    add("args", `could not be checked: ${errorText(e)}`);
  }
  return issues;
}

type Add = (path: string, message: string | undefined) => void;
type Snapshot = <K extends string>(source: object, keys: readonly K[], prefix: string) => Record<K, unknown>;
interface Reader {
  read(source: object, key: string, path: string): unknown;
  snapshot: Snapshot;
}
type Spec = Record<(typeof SPEC_KEYS)[number], unknown>;

function checkArgs(args: Record<(typeof ARG_KEYS)[number], unknown>, add: Add, { read, snapshot }: Reader): void {
  if (isPlain(args.project)) add("project", projectProblem(args.project));
  add("serviceType", serviceTypeProblem(args.serviceType ?? "valkey"));

  // When the list itself is unusable, replica plans are not checked against it: that would only repeat the issue.
  let allowedPlans: string[] | undefined = [DEFAULT_REPLICA_PLAN];
  if (args.replicaPlans !== undefined) {
    const listProblem = replicaPlansProblem(args.replicaPlans);
    add("replicaPlans", listProblem);
    allowedPlans = undefined;
    if (listProblem === undefined) {
      const plans = args.replicaPlans as unknown[];
      for (let i = 0; i < plans.length; i++) add(`replicaPlans[${i}]`, startupPlanProblem(plans[i]));
      allowedPlans = plans.filter((plan): plan is string => typeof plan === "string");
    }
  }

  const seenNames = new Set<string>();
  const checkName = (path: string, name: unknown) => {
    add(path, serviceNameProblem(name));
    if (typeof name !== "string") return;
    if (seenNames.has(name)) add(path, `'${name}' is already used by another service of this set; names must be unique`);
    seenNames.add(name);
  };

  if (args.primary === undefined) {
    add("primary", "is required: give at least { name, plan }");
  } else if (!isRecord(args.primary)) {
    add("primary", `${describeValue(args.primary)} is not a primary; give at least { name, plan }`);
  } else {
    checkPrimary(snapshot(args.primary, SPEC_KEYS, "primary"), add, checkName);
  }

  const replicas: Array<Spec | undefined> = [];
  if (!Array.isArray(args.replicas)) {
    add("replicas", args.replicas === undefined
      ? "must be a list of replicas (it may be empty)"
      : `${describeValue(args.replicas)} must be a list of replicas (it may be empty)`);
  } else {
    const list = args.replicas as unknown[];
    for (let i = 0; i < list.length; i++) {
      const path = `replicas[${i}]`;
      const entry = read(list, String(i), path);
      if (!(i in list)) add(path, "is empty; give an object with at least a name");
      else if (!isRecord(entry)) add(path, `${describeValue(entry)} is not a replica; give an object with at least a name`);
      if (!isRecord(entry)) {
        replicas.push(undefined);
        continue;
      }
      const replica = snapshot(entry, SPEC_KEYS, path);
      replicas.push(replica);
      checkName(`${path}.name`, replica.name);
      if (allowedPlans !== undefined) add(`${path}.plan`, replicaPlanProblem(replica.plan ?? DEFAULT_REPLICA_PLAN, allowedPlans));
      if (replica.cloud !== undefined && isPlain(replica.cloud)) add(`${path}.cloud`, cloudProblem(replica.cloud));
      add(`${path}.promote`, booleanProblem(replica.promote));
      add(`${path}.terminationProtection`, booleanProblem(replica.terminationProtection));
    }
    add("replicas", liveReplicaCountProblem(replicas.filter((replica) => replica && !replica.promote).length));
  }

  add("waitForBackup", booleanProblem(args.waitForBackup));
  add("verifyReplication", booleanProblem(args.verifyReplication));

  if (args.failoverTo !== undefined) {
    const target = replicas.find((replica) => replica?.name === args.failoverTo);
    if (target === undefined) {
      add("failoverTo", `${describeValue(args.failoverTo)} is not a replica of this set; name a replica that has promote: true`);
    } else if (!target.promote) {
      add("failoverTo", `${describeValue(args.failoverTo)} is not promoted; set promote: true on it to fail over to it`);
    }
  }

  add("timeoutSeconds", positiveSecondsProblem(args.timeoutSeconds));
  add("pollSeconds", positiveSecondsProblem(args.pollSeconds));
}

function checkPrimary(primary: Spec, add: Add, checkName: (path: string, name: unknown) => void): void {
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
    return;
  }
  add("primary.plan", primaryPlanProblem(primary.plan));
  if (primary.cloud !== undefined && isPlain(primary.cloud)) add("primary.cloud", cloudProblem(primary.cloud));
  add("primary.terminationProtection", booleanProblem(primary.terminationProtection));
}
