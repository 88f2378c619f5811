// The read replica rules of pulumi-aiven-read-replicas as CrossGuard policies, for stacks that
// declare aiven.Valkey / aiven.Redis replicas by hand. The rules and their wording come from the
// package's own rules module, which the component's preflight uses too.
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  liveReplicaCountProblem,
  MAX_LIVE_READ_REPLICAS,
  replicaPlanProblem,
  replicaServiceTypeProblem,
  SERVICE_INTEGRATIONS_FIXED,
  startupPlanProblem,
} from "../provider/rules";
import { DeclaredService, findSource, isReplica, readService } from "./declaredServices";

export const POLICY = {
  replicaPlan: "aiven-replica-plan",
  replicasPerPrimary: "aiven-replicas-per-primary",
  replicaServiceType: "aiven-replica-service-type",
  replicaSourceDeclared: "aiven-replica-source-declared",
  serviceIntegrationsFixed: "aiven-service-integrations-fixed",
  primaryTerminationProtection: "aiven-primary-termination-protection",
} as const;

export interface ReplicaPlanConfig {
  /** Plans a replica may use; default: any startup plan. */
  allowedPlans?: string[];
}

export interface ReplicaSourceConfig {
  /** Services that live outside this stack and may be named as a replica's source. */
  knownSourceServices?: string[];
}

const IGNORING_INTEGRATIONS = ["serviceIntegrations", "serviceIntegrations[*]", "*"];

function services(args: StackValidationArgs): DeclaredService[] {
  return args.resources.map(readService).filter((s): s is DeclaredService => s !== undefined);
}

function quoted(names: string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

export const replicaPlanPolicy: ResourceValidationPolicy = {
  name: POLICY.replicaPlan,
  description: "A read replica uses a plan Aiven allows for replicas (startup plans), or one of the configured allowedPlans.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPlans: { type: "array", items: { type: "string" }, minItems: 1, description: "Plans a replica may use; default: any startup plan." },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const service = readService(args);
    if (service === undefined || !isReplica(service) || service.plan === undefined) return;
    const { allowedPlans } = args.getConfig<ReplicaPlanConfig>();
    if (allowedPlans === undefined) {
      const problem = startupPlanProblem(service.plan);
      if (problem) reportViolation(`${service.label}: plan ${problem}`);
      return;
    }
    allowedPlans.forEach((plan, i) => {
      const problem = startupPlanProblem(plan);
      if (problem) reportViolation(`policy config ${POLICY.replicaPlan}.allowedPlans[${i}]: ${problem}`);
    });
    const problem = replicaPlanProblem(service.plan, allowedPlans);
    if (problem) reportViolation(`${service.label}: plan ${problem}`);
  },
};

export const replicasPerPrimaryPolicy: StackValidationPolicy = {
  name: POLICY.replicasPerPrimary,
  description: `At most ${MAX_LIVE_READ_REPLICAS} read replicas of one source service among the stack's resources.`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const all = services(args);
    const groups = new Map<string, { source: string; project?: string; replicas: DeclaredService[] }>();
    for (const replica of all) {
      for (const source of new Set(replica.sources)) {
        const key = `${replica.project ?? ""}/${source}`;
        const group = groups.get(key) ?? { source, ...(replica.project !== undefined ? { project: replica.project } : {}), replicas: [] };
        group.replicas.push(replica);
        groups.set(key, group);
      }
    }
    for (const { source, project, replicas } of groups.values()) {
      const problem = liveReplicaCountProblem(replicas.length);
      if (problem === undefined) continue;
      const primary = findSource(all, replicas[0], source);
      const where = project !== undefined ? ` in project '${project}'` : "";
      reportViolation(
        `source service '${source}'${where}: ${problem}; this stack declares ${replicas.length}: ${replicas.map((r) => r.label).join(", ")}`,
        (primary ?? replicas[MAX_LIVE_READ_REPLICAS]).urn,
      );
    }
  },
};

export const replicaServiceTypePolicy: StackValidationPolicy = {
  name: POLICY.replicaServiceType,
  description: "A read replica has the service type of its source in the stack, and a Dragonfly service is never a source.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const all = services(args);
    for (const replica of all) {
      for (const source of replica.sources) {
        const declared = findSource(all, replica, source);
        const problem = declared && replicaServiceTypeProblem(replica.serviceType, declared.serviceType);
        if (problem) reportViolation(`${replica.label}, read replica of ${declared.label}: ${problem}`, replica.urn);
      }
    }
  },
};

export const replicaSourceDeclaredPolicy: StackValidationPolicy = {
  name: POLICY.replicaSourceDeclared,
  description: "A read replica's source service is declared in the stack, or named in knownSourceServices.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      knownSourceServices: {
        type: "array",
        items: { type: "string" },
        description: "Services outside this stack that replicas may name as their source.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const all = services(args);
    const known = new Set(args.getConfig<ReplicaSourceConfig>().knownSourceServices ?? []);
    const declaredNames = all.map((s) => s.serviceName).filter((n): n is string => n !== undefined);
    for (const replica of all) {
      for (const source of replica.sources) {
        if (known.has(source) || findSource(all, replica, source)) continue;
        const elsewhere = all.find((s) => s.serviceName === source && s.project !== undefined);
        const near = closestName(source, [...declaredNames, ...known].filter((n) => n !== replica.serviceName && n !== source));
        const hint = elsewhere
          ? ` in project '${replica.project}' (this stack declares it in project '${elsewhere.project}')`
          : near
            ? ` (did you mean '${near}'?)`
            : "";
        reportViolation(
          `${replica.label}: source service '${source}' is not declared in this stack${hint}` +
            `; declare it here, or list it in knownSourceServices of ${POLICY.replicaSourceDeclared} if it lives outside this stack`,
          replica.urn,
        );
      }
    }
  },
};

export const serviceIntegrationsFixedPolicy: ResourceValidationPolicy = {
  name: POLICY.serviceIntegrationsFixed,
  description: "A read replica ignores changes to serviceIntegrations: the Aiven provider refuses them once the service exists.",
  enforcementLevel: "advisory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const service = readService(args);
    if (service === undefined || !isReplica(service)) return;
    if (service.ignoreChanges.some((path) => IGNORING_INTEGRATIONS.includes(path))) return;
    reportViolation(
      `${service.label} sets serviceIntegrations without ignoreChanges: ["serviceIntegrations"]. ` +
        `Once it exists, any change there fails the update: the Aiven provider answers "${SERVICE_INTEGRATIONS_FIXED}". ` +
        `Add ignoreChanges: ["serviceIntegrations"]; to make it a standalone service, promote it ` +
        "(delete its read_replica integration, e.g. with ReplicaPromotion) rather than editing the list",
    );
  },
};

export const primaryTerminationProtectionPolicy: StackValidationPolicy = {
  name: POLICY.primaryTerminationProtection,
  description: "A service with read replicas in the stack has termination protection.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const all = services(args);
    for (const primary of all) {
      if (primary.terminationProtection !== false || primary.serviceName === undefined) continue;
      const replicas = all.filter((r) => r.sources.some((source) => findSource(all, r, source) === primary));
      if (replicas.length === 0) continue;
      reportViolation(
        `${primary.label} has ${replicas.length} read replica(s) in this stack (${replicas.map((r) => r.label).join(", ")}) ` +
          "and no termination protection; set terminationProtection: true, so that deleting it, which leaves its replicas " +
          "without a source, takes a deliberate step",
        primary.urn,
      );
    }
  },
};

/** Every policy of the pack, in the order the README lists them. */
export const readReplicaPolicies = [
  replicaPlanPolicy,
  replicasPerPrimaryPolicy,
  replicaServiceTypePolicy,
  replicaSourceDeclaredPolicy,
  serviceIntegrationsFixedPolicy,
  primaryTerminationProtectionPolicy,
];

/** The nearest name within two edits, for a typo'd source. */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
