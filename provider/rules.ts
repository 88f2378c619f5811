// The argument rules that preflight (components/), the providers' `check` and the policy pack
// (policy/) share, so all speak with one wording. Dependency-free: the providers serialize these
// functions into state, and the policy pack loads this file on its own.

/** Aiven's limit of live (not promoted) read replicas per primary. */
export const MAX_LIVE_READ_REPLICAS = 5;

/** Why a replica's service type is fixed by its source. */
export const SAME_SERVICE_TYPE_RULE = "Read replicas work only within one service type, and Dragonfly is not supported";

const SHOWN_CHARACTERS = 80;

/**
 * A value as it appears in a message: strings quoted, numbers as written (NaN, Infinity), BigInt
 * with its `n`, anything else as JSON, shortened when long. Never throws, whatever it is given.
 */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === "string") return `'${clip(value, SHOWN_CHARACTERS - 2)}'`;
    return clip(shown(value), SHOWN_CHARACTERS);
  } catch {
    return "a value that cannot be shown";
  }
}

function shown(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "nothing";
    case "number":
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return "a function";
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // circular, or holding a BigInt, or a getter or toJSON that throws
  }
  return "an object that cannot be shown as JSON";
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An optional flag: a string "false" is truthy and would, say, start a promotion. */
export function booleanProblem(value: unknown): string | undefined {
  return value === undefined || typeof value === "boolean" ? undefined : `${describeValue(value)} must be true or false`;
}

/** An optional timeout or poll interval. */
export function positiveSecondsProblem(value: unknown): string | undefined {
  return value === undefined || (typeof value === "number" && Number.isFinite(value) && value > 0)
    ? undefined
    : `${describeValue(value)} must be a positive number of seconds`;
}

export function projectProblem(project: unknown): string | undefined {
  return typeof project === "string" && /^[a-zA-Z0-9_-]{1,63}$/.test(project)
    ? undefined
    : `${describeValue(project)} is not a valid project name; use 1-63 of letters, digits, '_' and '-'`;
}

export function serviceNameProblem(name: unknown): string | undefined {
  return typeof name === "string" && /^[a-z][a-z0-9-]{0,62}$/.test(name)
    ? undefined
    : `${describeValue(name)} is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'`;
}

export function cloudProblem(cloud: unknown): string | undefined {
  return typeof cloud === "string" && /^[a-z]+-[a-z0-9-]+$/.test(cloud)
    ? undefined
    : `${describeValue(cloud)} is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'`;
}

/**
 * The plan of a primary that will have replicas. Free plans have no backups, and Aiven creates a
 * replica only from a backup; the check ignores case and spaces so ' FREE-1' cannot slip past.
 */
export function primaryPlanProblem(plan: unknown): string | undefined {
  if (plan === undefined || plan === "") return "is required unless existing: true, e.g. 'business-4'";
  if (typeof plan !== "string") return `${describeValue(plan)} is not a plan name; give a paid plan such as 'business-4'`;
  const normalized = plan.trim().toLowerCase();
  if (normalized === "") return `${describeValue(plan)} is blank; a plan is required unless existing: true, e.g. 'business-4'`;
  if (/^free(-|$)/.test(normalized)) {
    return `${describeValue(plan)} has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'`;
  }
  return /^[a-z0-9][a-z0-9-]*$/.test(plan)
    ? undefined
    : `${describeValue(plan)} is not a plan name; Aiven plans are lowercase letters, digits and '-', e.g. 'business-4'`;
}

/** An entry of the list of plans replicas may use: Aiven creates read replicas on startup plans only. */
export function startupPlanProblem(plan: unknown): string | undefined {
  return typeof plan === "string" && /^startup-/.test(plan)
    ? undefined
    : `${describeValue(plan)} is not a startup plan; Aiven creates read replicas only on startup plans`;
}

/** The list of plans replicas may use, as a whole (its entries are checked by startupPlanProblem). */
export function replicaPlansProblem(plans: unknown): string | undefined {
  if (!Array.isArray(plans)) return `${describeValue(plans)} must be a list of plans, e.g. ['startup-4']`;
  return plans.length === 0 ? "[] names no plan; give at least one startup plan, e.g. ['startup-4']" : undefined;
}

export function replicaPlanProblem(plan: unknown, allowed: readonly string[]): string | undefined {
  return typeof plan === "string" && allowed.includes(plan)
    ? undefined
    : `${describeValue(plan)} is not a read replica plan; allowed: ${allowed.join(", ")}`;
}

export function liveReplicaCountProblem(live: number): string | undefined {
  return live <= MAX_LIVE_READ_REPLICAS
    ? undefined
    : `${live} replicas that are not promoted; Aiven allows at most ${MAX_LIVE_READ_REPLICAS} read replicas per primary`;
}

/**
 * A read replica and its source, by Aiven service type ('valkey', 'redis', 'dragonfly'): Aiven
 * replicates only within one type, and never from Dragonfly.
 */
export function replicaServiceTypeProblem(replicaType: string, sourceType: string): string | undefined {
  if (sourceType === "dragonfly") return `its source is a dragonfly service; ${SAME_SERVICE_TYPE_RULE}`;
  return replicaType === sourceType
    ? undefined
    : `a ${replicaType} service cannot replicate a ${sourceType} service; make it a ${sourceType} service. ${SAME_SERVICE_TYPE_RULE}`;
}

export function apiUrlProblem(url: unknown): string | undefined {
  return url === undefined || (typeof url === "string" && /^https?:\/\/[^\s/]+/.test(url)) ? undefined : `${describeValue(url)} is not an http(s) URL`;
}

/** What Aiven's Pulumi/Terraform provider answers when an existing service's serviceIntegrations would change. */
export const SERVICE_INTEGRATIONS_FIXED = "service_integrations field can only be set during creation of a service";
