import fc from "fast-check";
import { PreflightError, validateReadReplicaSet } from "../../components/preflight";
import type { ReadReplicaSetArgs } from "../../components/readReplicaSetArgs";

// Preflight checks what a config-driven stack or a YAML file hands it, so it must describe any
// value it meets and never throw. And every well-formed set must pass.

const PLAIN_VALUES: fc.ObjectConstraints = {
  maxDepth: 2,
  maxKeys: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: "binary",
};

const circular = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }).map((object) => {
  const o = object as Record<string, unknown>;
  o.self = o;
  o.list = [o];
  return o;
});

/** An object whose every property getter throws (a Proxy-backed or lazily loaded config). */
const throwingGetters = fc.uniqueArray(fc.constantFrom("project", "primary", "replicas", "name", "plan", "replicaPlans", "promote"), { minLength: 1 })
  .map((keys) => {
    const o: Record<string, unknown> = {};
    for (const key of keys) Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error(`cannot read ${key}`); } });
    return o;
  });

const exotic: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(PLAIN_VALUES),
  fc.bigInt(),
  fc.string().map((s) => Symbol(s)),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, () => "a function", Object.create(null) as unknown),
  circular,
  throwingGetters,
);

/** Shaped like the arguments, so the deeper rules meet odd values too, not only the top level. */
const optionalFields = <T>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(fields, { requiredKeys: [] });
const oddSpec = optionalFields({ name: exotic, plan: exotic, cloud: exotic, existing: exotic, promote: exotic, terminationProtection: exotic });
const oddArgs = optionalFields({
  project: exotic,
  serviceType: fc.oneof(exotic, fc.constantFrom("valkey", "caching", "redis", "dragonfly")),
  primary: fc.oneof(exotic, oddSpec),
  replicas: fc.oneof(exotic, fc.array(fc.oneof(exotic, oddSpec), { maxLength: 4 }), fc.sparseArray(oddSpec, { maxLength: 4 })),
  replicaPlans: fc.oneof(exotic, fc.array(exotic, { maxLength: 4 })),
  waitForBackup: exotic,
  verifyReplication: exotic,
  failoverTo: exotic,
  timeoutSeconds: exotic,
  pollSeconds: exotic,
});

function expectIssueList(issues: unknown): void {
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues as unknown[]) {
    expect(Object.keys(issue as object).sort()).toEqual(["message", "path"]);
    const { path, message } = issue as { path: unknown; message: unknown };
    expect(typeof path).toBe("string");
    expect(path).toMatch(/^(args|[a-zA-Z]+(\[\d+\])?(\.[a-zA-Z]+)?)$/);
    expect(typeof message).toBe("string");
    expect((message as string).length).toBeGreaterThan(0);
  }
  // The constructor turns them into one error message; that must work too.
  expect(typeof new PreflightError(issues as never).message).toBe("string");
}

describe("validateReadReplicaSet never throws", () => {
  test("arbitrary values as the whole argument", () => {
    fc.assert(fc.property(exotic, (args) => expectIssueList(validateReadReplicaSet(args as ReadReplicaSetArgs))), { numRuns: 300 });
  });

  test("argument-shaped objects with arbitrary values in every field", () => {
    fc.assert(fc.property(oddArgs, (args) => expectIssueList(validateReadReplicaSet(args as unknown as ReadReplicaSetArgs))), { numRuns: 150 });
  });
});

const PLAN_PATTERN = /^(startup|business|premium|hobbyist)-[0-9]{1,3}$/;
const startupPlan = fc.stringMatching(/^startup-[0-9]{1,3}$/);
const serviceName = fc.stringMatching(/^[a-z][a-z0-9-]{0,62}$/);
const cloud = fc.stringMatching(/^[a-z]{1,8}-[a-z0-9-]{1,20}$/);
const positiveSeconds = fc.double({ min: 0.001, max: 1e6, noNaN: true });

/** A set that breaks no rule: unique names, at most 5 live replicas, plans from replicaPlans. */
const validArgs: fc.Arbitrary<ReadReplicaSetArgs> = fc
  .record({
    project: fc.stringMatching(/^[a-zA-Z0-9_-]{1,63}$/),
    serviceType: fc.option(fc.constantFrom("valkey" as const, "caching" as const, "redis" as const), { nil: undefined }),
    names: fc.uniqueArray(serviceName, { minLength: 1, maxLength: 9 }),
    existing: fc.boolean(),
    primaryPlan: fc.stringMatching(PLAN_PATTERN),
    primaryCloud: fc.option(cloud, { nil: undefined }),
    terminationProtection: fc.option(fc.boolean(), { nil: undefined }),
    replicaPlans: fc.option(fc.uniqueArray(startupPlan, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    replicaChoices: fc.array(
      fc.record({ promote: fc.option(fc.boolean(), { nil: undefined }), planIndex: fc.nat(), cloud: fc.option(cloud, { nil: undefined }), explicitPlan: fc.boolean(), terminationProtection: fc.option(fc.boolean(), { nil: undefined }) }),
      { maxLength: 8 },
    ),
    failover: fc.boolean(),
    waitForBackup: fc.option(fc.boolean(), { nil: undefined }),
    verifyReplication: fc.option(fc.boolean(), { nil: undefined }),
    timeoutSeconds: fc.option(positiveSeconds, { nil: undefined }),
    pollSeconds: fc.option(positiveSeconds, { nil: undefined }),
  })
  .map((g) => {
    const [primaryName, ...replicaNames] = g.names;
    let live = 0;
    const replicas = replicaNames.map((name, i) => {
      const choice = g.replicaChoices[i] ?? { promote: undefined, planIndex: 0, explicitPlan: false };
      // A sixth live replica would break Aiven's limit: it is declared promoted instead.
      const promote = choice.promote === true || live >= 5 ? true : choice.promote;
      if (!promote) live++;
      const plans = g.replicaPlans ?? ["startup-4"];
      // Without a plan a replica gets startup-4, which only the default list is sure to hold.
      const plan = choice.explicitPlan || g.replicaPlans ? plans[choice.planIndex % plans.length] : undefined;
      return {
        name,
        ...(plan !== undefined ? { plan } : {}),
        ...(choice.cloud !== undefined ? { cloud: choice.cloud } : {}),
        ...(promote !== undefined ? { promote } : {}),
        ...(choice.terminationProtection !== undefined ? { terminationProtection: choice.terminationProtection } : {}),
      };
    });
    const promoted = replicas.find((r) => r.promote === true);
    const primary = g.existing
      ? { name: primaryName, existing: true }
      : {
          name: primaryName,
          plan: g.primaryPlan,
          ...(g.primaryCloud !== undefined ? { cloud: g.primaryCloud } : {}),
          ...(g.terminationProtection !== undefined ? { terminationProtection: g.terminationProtection } : {}),
        };
    const args: ReadReplicaSetArgs = { project: g.project, primary, replicas };
    if (g.serviceType !== undefined) args.serviceType = g.serviceType;
    if (g.replicaPlans !== undefined) args.replicaPlans = g.replicaPlans;
    if (g.failover && promoted) args.failoverTo = promoted.name;
    if (g.waitForBackup !== undefined) args.waitForBackup = g.waitForBackup;
    if (g.verifyReplication !== undefined) args.verifyReplication = g.verifyReplication;
    if (g.timeoutSeconds !== undefined) args.timeoutSeconds = g.timeoutSeconds;
    if (g.pollSeconds !== undefined) args.pollSeconds = g.pollSeconds;
    return args;
  });

test("every valid set passes", () => {
  fc.assert(fc.property(validArgs, (args) => expect(validateReadReplicaSet(args)).toEqual([])), { numRuns: 300 });
});

test("a valid set with one replica too many fails on replicas only", () => {
  const sixLive = validArgs.filter((args) => !args.primary.existing).map((args): ReadReplicaSetArgs => ({
    ...args,
    failoverTo: undefined,
    replicas: Array.from({ length: 6 }, (_, i) => ({ name: `${args.primary.name.slice(0, 50)}-r${i}`, plan: (args.replicaPlans ?? ["startup-4"])[0] })),
  }));
  fc.assert(
    fc.property(sixLive, (args) =>
      expect(validateReadReplicaSet(args)).toEqual([
        { path: "replicas", message: "6 replicas that are not promoted; Aiven allows at most 5 read replicas per primary" },
      ]),
    ),
    { numRuns: 100 },
  );
});
