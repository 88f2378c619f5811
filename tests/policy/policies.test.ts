import {
  POLICY,
  primaryTerminationProtectionPolicy,
  readReplicaPolicies,
  replicaPlanPolicy,
  replicaServiceTypePolicy,
  replicaSourceDeclaredPolicy,
  replicasPerPrimaryPolicy,
  serviceIntegrationsFixedPolicy,
} from "../../policy/policies";
import { liveReplicaCountProblem, replicaPlanProblem, replicaServiceTypeProblem, startupPlanProblem } from "../../provider/rules";
import { Fixture, replica, runResourcePolicy, runStackPolicy, service, TYPES, UNKNOWN, urnOf } from "./policyFixtures";

const primary = () => service("valkey", "cache", { terminationProtection: true });
const LABEL = "aiven.Valkey 'cache-r1' (service 'cache-r1')";

describe("the pack", () => {
  test("six policies, unique names, mandatory rules and advisory advice by default", () => {
    expect(readReplicaPolicies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["aiven-replica-plan", "mandatory"],
      ["aiven-replicas-per-primary", "mandatory"],
      ["aiven-replica-service-type", "mandatory"],
      ["aiven-replica-source-declared", "mandatory"],
      ["aiven-service-integrations-fixed", "advisory"],
      ["aiven-primary-termination-protection", "advisory"],
    ]);
  });
});

describe(POLICY.replicaPlan, () => {
  const run = (f: Fixture, config: object = {}) => runResourcePolicy(replicaPlanPolicy, f, config);

  test.each<[string, Fixture, object, string[]]>([
    ["a replica on startup-4", replica("valkey", "cache-r1", "cache"), {}, []],
    ["a replica on any startup plan by default", replica("valkey", "cache-r1", "cache", { plan: "startup-16" }), {}, []],
    ["a replica on business-4", replica("valkey", "cache-r1", "cache", { plan: "business-4" }), {}, [
      `${LABEL}: plan 'business-4' is not a startup plan; Aiven creates read replicas only on startup plans`,
    ]],
    ["a Caching replica on hobbyist", replica("redis", "old-r1", "old", { plan: "hobbyist" }), {}, [
      "aiven.Redis 'old-r1' (service 'old-r1'): plan 'hobbyist' is not a startup plan; Aiven creates read replicas only on startup plans",
    ]],
    ["a replica outside the configured plans", replica("valkey", "cache-r1", "cache", { plan: "startup-4" }), { allowedPlans: ["startup-8", "startup-16"] }, [
      `${LABEL}: plan 'startup-4' is not a read replica plan; allowed: startup-8, startup-16`,
    ]],
    ["a replica on a configured plan", replica("valkey", "cache-r1", "cache", { plan: "startup-8" }), { allowedPlans: ["startup-8"] }, []],
    ["a configured plan that no replica can use", replica("valkey", "cache-r1", "cache", { plan: "startup-8" }), { allowedPlans: ["startup-8", "business-4"] }, [
      "policy config aiven-replica-plan.allowedPlans[1]: 'business-4' is not a startup plan; Aiven creates read replicas only on startup plans",
    ]],
    ["a primary on business-4 (not a replica)", primary(), {}, []],
    ["a service with another kind of integration", service("valkey", "cache-m", { serviceIntegrations: [{ integrationType: "metrics", sourceServiceName: "cache" }] }), {}, []],
    ["a replica whose plan is not known yet (preview)", replica("valkey", "cache-r1", "cache", { plan: UNKNOWN.string }), {}, []],
    ["a service whose integrations are not known yet", service("valkey", "cache-r1", { serviceIntegrations: UNKNOWN.array }), {}, []],
    ["a read_replica entry whose source is not known yet is still a replica", replica("valkey", "cache-r1", "x", {
      plan: "premium-6",
      serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: UNKNOWN.string }],
    }), {}, [`${LABEL}: plan 'premium-6' is not a startup plan; Aiven creates read replicas only on startup plans`]],
    ["a resource of another provider", { type: TYPES.bucket, name: "b", props: { plan: "business-4", serviceIntegrations: [{ integrationType: "read_replica" }] } }, {}, []],
  ])("%s", (_, fixture, config, messages) => {
    expect(run(fixture, config)).toEqual(messages.map((message) => ({ message })));
  });

  test("the wording is the rules module's, which preflight uses", () => {
    const [violation] = run(replica("valkey", "cache-r1", "cache", { plan: "business-8" }));
    expect(violation.message).toBe(`${LABEL}: plan ${startupPlanProblem("business-8")}`);
    const [outside] = run(replica("valkey", "cache-r1", "cache"), { allowedPlans: ["startup-8"] });
    expect(outside.message).toBe(`${LABEL}: plan ${replicaPlanProblem("startup-4", ["startup-8"])}`);
  });
});

describe(POLICY.replicasPerPrimary, () => {
  const replicas = (count: number, source = "cache", props: Record<string, unknown> = {}) =>
    Array.from({ length: count }, (_, i) => replica("valkey", `${source}-r${i}`, source, props));
  const labels = (count: number, source = "cache") => Array.from({ length: count }, (_, i) => `aiven.Valkey '${source}-r${i}' (service '${source}-r${i}')`).join(", ");

  test.each<[string, Fixture[], { message: string; urn: string }[]]>([
    ["five replicas of one primary", [primary(), ...replicas(5)], []],
    ["three replicas of each of two primaries", [primary(), service("valkey", "other"), ...replicas(3), ...replicas(3, "other")], []],
    ["six replicas: one violation, on the primary", [primary(), ...replicas(6)], [{
      message: `source service 'cache' in project 'acme': 6 replicas that are not promoted; Aiven allows at most 5 read replicas per primary; this stack declares 6: ${labels(6)}`,
      urn: urnOf(primary()),
    }]],
    ["six replicas of a primary outside the stack: on the sixth replica", replicas(6), [{
      message: `source service 'cache' in project 'acme': 6 replicas that are not promoted; Aiven allows at most 5 read replicas per primary; this stack declares 6: ${labels(6)}`,
      urn: urnOf(replica("valkey", "cache-r5", "cache")),
    }]],
    ["six replicas named 'cache' but in two projects", [...replicas(3), ...replicas(3).map((f) => ({ ...f, name: `${f.name}-b`, props: { ...f.props, project: "beta", serviceName: `${f.props.serviceName}-b` } }))], []],
  ])("%s", (_, fixtures, expected) => {
    expect(runStackPolicy(replicasPerPrimaryPolicy, fixtures)).toEqual(expected);
  });

  test("the count sentence is the rules module's", () => {
    const [violation] = runStackPolicy(replicasPerPrimaryPolicy, [primary(), ...replicas(7)]);
    expect(violation.message).toContain(liveReplicaCountProblem(7)!);
  });
});

describe(POLICY.replicaServiceType, () => {
  test.each<[string, Fixture[], { message: string; urn: string }[]]>([
    ["a Valkey replica of a Valkey primary", [primary(), replica("valkey", "cache-r1", "cache")], []],
    ["a Caching replica of a Caching primary", [service("redis", "old"), replica("redis", "old-r1", "old")], []],
    ["a Caching replica of a Valkey primary", [primary(), replica("redis", "cache-r1", "cache")], [{
      message: "aiven.Redis 'cache-r1' (service 'cache-r1'), read replica of aiven.Valkey 'cache' (service 'cache'): a redis service cannot replicate a valkey service; make it a valkey service. Read replicas work only within one service type, and Dragonfly is not supported",
      urn: urnOf(replica("redis", "cache-r1", "cache")),
    }]],
    ["a Valkey replica of a Dragonfly service", [service("dragonfly", "fly"), replica("valkey", "fly-r1", "fly")], [{
      message: "aiven.Valkey 'fly-r1' (service 'fly-r1'), read replica of aiven.Dragonfly 'fly' (service 'fly'): its source is a dragonfly service; Read replicas work only within one service type, and Dragonfly is not supported",
      urn: urnOf(replica("valkey", "fly-r1", "fly")),
    }]],
    ["a Dragonfly replica of a Dragonfly service", [service("dragonfly", "fly"), replica("dragonfly", "fly-r1", "fly")], [{
      message: "aiven.Dragonfly 'fly-r1' (service 'fly-r1'), read replica of aiven.Dragonfly 'fly' (service 'fly'): its source is a dragonfly service; Read replicas work only within one service type, and Dragonfly is not supported",
      urn: urnOf(replica("dragonfly", "fly-r1", "fly")),
    }]],
    ["a source of the same name in another project is not its source", [service("redis", "cache", { project: "beta" }), replica("valkey", "cache-r1", "cache")], []],
    ["a source outside the stack (the source policy's concern)", [replica("valkey", "cache-r1", "cache")], []],
  ])("%s", (_, fixtures, expected) => {
    expect(runStackPolicy(replicaServiceTypePolicy, fixtures)).toEqual(expected);
  });

  test("the reason is the rules module's, which preflight's serviceType rule shares", () => {
    const [violation] = runStackPolicy(replicaServiceTypePolicy, [primary(), replica("redis", "cache-r1", "cache")]);
    expect(violation.message.endsWith(replicaServiceTypeProblem("redis", "valkey")!)).toBe(true);
  });
});

describe(POLICY.replicaSourceDeclared, () => {
  test.each<[string, Fixture[], object, { message: string; urn: string }[]]>([
    ["the source is declared", [primary(), replica("valkey", "cache-r1", "cache")], {}, []],
    ["the source is named in knownSourceServices", [replica("valkey", "cache-r1", "legacy-cache")], { knownSourceServices: ["legacy-cache"] }, []],
    ["a typo'd source", [primary(), replica("valkey", "cache-r1", "cahce")], {}, [{
      message: `${LABEL}: source service 'cahce' is not declared in this stack (did you mean 'cache'?); declare it here, or list it in knownSourceServices of aiven-replica-source-declared if it lives outside this stack`,
      urn: urnOf(replica("valkey", "cache-r1", "cahce")),
    }]],
    ["a typo of a name in knownSourceServices", [replica("valkey", "cache-r1", "legacy-cahe")], { knownSourceServices: ["legacy-cache"] }, [{
      message: `${LABEL}: source service 'legacy-cahe' is not declared in this stack (did you mean 'legacy-cache'?); declare it here, or list it in knownSourceServices of aiven-replica-source-declared if it lives outside this stack`,
      urn: urnOf(replica("valkey", "cache-r1", "legacy-cahe")),
    }]],
    ["a source nothing resembles", [primary(), replica("valkey", "cache-r1", "sessions")], {}, [{
      message: `${LABEL}: source service 'sessions' is not declared in this stack; declare it here, or list it in knownSourceServices of aiven-replica-source-declared if it lives outside this stack`,
      urn: urnOf(replica("valkey", "cache-r1", "sessions")),
    }]],
    ["a source declared in another project only", [service("valkey", "cache", { project: "beta" }), replica("valkey", "cache-r1", "cache")], {}, [{
      message: `${LABEL}: source service 'cache' is not declared in this stack in project 'acme' (this stack declares it in project 'beta'); declare it here, or list it in knownSourceServices of aiven-replica-source-declared if it lives outside this stack`,
      urn: urnOf(replica("valkey", "cache-r1", "cache")),
    }]],
    ["a source whose project is not known yet matches by name", [service("valkey", "cache", { project: UNKNOWN.string }), replica("valkey", "cache-r1", "cache")], {}, []],
    ["a source not known yet (preview) is not judged", [replica("valkey", "cache-r1", "x", { serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: UNKNOWN.string }] })], {}, []],
  ])("%s", (_, fixtures, config, expected) => {
    expect(runStackPolicy(replicaSourceDeclaredPolicy, fixtures, config)).toEqual(expected);
  });
});

describe(POLICY.serviceIntegrationsFixed, () => {
  const advice = (label: string) =>
    `${label} sets serviceIntegrations without ignoreChanges: ["serviceIntegrations"]. Once it exists, any change there fails the update: ` +
    `the Aiven provider answers "service_integrations field can only be set during creation of a service". Add ignoreChanges: ["serviceIntegrations"]; ` +
    "to make it a standalone service, promote it (delete its read_replica integration, e.g. with ReplicaPromotion) rather than editing the list";

  test.each<[string, Fixture, string[]]>([
    ["a replica that ignores serviceIntegrations", replica("valkey", "cache-r1", "cache"), []],
    ["a replica that ignores every change", { ...replica("valkey", "cache-r1", "cache"), ignoreChanges: ["*"] }, []],
    ["a replica without ignoreChanges", { ...replica("valkey", "cache-r1", "cache"), ignoreChanges: [] }, [advice(LABEL)]],
    ["a replica that ignores other fields only", { ...replica("redis", "old-r1", "old"), ignoreChanges: ["plan"] }, [advice("aiven.Redis 'old-r1' (service 'old-r1')")]],
    ["a primary", primary(), []],
  ])("%s", (_, fixture, messages) => {
    expect(runResourcePolicy(serviceIntegrationsFixedPolicy, fixture)).toEqual(messages.map((message) => ({ message })));
  });
});

describe(POLICY.primaryTerminationProtection, () => {
  const unprotected = service("valkey", "cache");
  test.each<[string, Fixture[], { message: string; urn: string }[]]>([
    ["a protected primary with replicas", [primary(), replica("valkey", "cache-r1", "cache")], []],
    ["an unprotected primary without replicas", [unprotected], []],
    ["an unprotected primary with two replicas", [unprotected, replica("valkey", "cache-r1", "cache"), replica("valkey", "cache-r2", "cache")], [{
      message: "aiven.Valkey 'cache' (service 'cache') has 2 read replica(s) in this stack (aiven.Valkey 'cache-r1' (service 'cache-r1'), aiven.Valkey 'cache-r2' (service 'cache-r2')) " +
        "and no termination protection; set terminationProtection: true, so that deleting it, which leaves its replicas without a source, takes a deliberate step",
      urn: urnOf(unprotected),
    }]],
    ["terminationProtection false is the same as unset", [service("valkey", "cache", { terminationProtection: false }), replica("valkey", "cache-r1", "cache")], [{
      message: `aiven.Valkey 'cache' (service 'cache') has 1 read replica(s) in this stack (${LABEL}) and no termination protection; set terminationProtection: true, so that deleting it, which leaves its replicas without a source, takes a deliberate step`,
      urn: urnOf(unprotected),
    }]],
    ["terminationProtection not known yet (preview)", [service("valkey", "cache", { terminationProtection: UNKNOWN.boolean }), replica("valkey", "cache-r1", "cache")], []],
  ])("%s", (_, fixtures, expected) => {
    expect(runStackPolicy(primaryTerminationProtectionPolicy, fixtures)).toEqual(expected);
  });
});
