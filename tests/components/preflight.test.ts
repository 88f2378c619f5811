import * as pulumi from "@pulumi/pulumi";
import { PreflightError, ReadReplicaSetArgs, validateReadReplicaSet } from "../../index";

const base = (): ReadReplicaSetArgs => ({
  project: "acme-prod",
  primary: { name: "primary", plan: "business-4", cloud: "google-europe-west1" },
  replicas: [{ name: "replica-a" }],
});

type Case = [string, (args: ReadReplicaSetArgs) => void, { path: string; message: string }[]];

const replicas = (count: number, promote = false) =>
  Array.from({ length: count }, (_, i) => ({ name: `replica-${i}`, promote }));

const passing: [string, (args: ReadReplicaSetArgs) => void][] = [
  ["project with underscore and 63 characters", (a) => void (a.project = "a_" + "b".repeat(61))],
  ["project given as an Output (checked later)", (a) => void (a.project = pulumi.output("whatever it is"))],
  ["serviceType valkey", (a) => void (a.serviceType = "valkey")],
  ["serviceType caching", (a) => void (a.serviceType = "caching")],
  ["serviceType redis", (a) => void (a.serviceType = "redis")],
  ["63-character names with digits and dashes", (a) => void (a.primary.name = "p" + "-1".repeat(31))],
  ["five live replicas", (a) => void (a.replicas = replicas(5))],
  ["five live replicas and two promoted", (a) => void (a.replicas = [...replicas(5), { name: "x1", promote: true }, { name: "x2", promote: true }])],
  ["no replicas", (a) => void (a.replicas = [])],
  ["a plan from replicaPlans", (a) => { a.replicaPlans = ["startup-4", "startup-8"]; a.replicas[0].plan = "startup-8"; }],
  ["existing primary without plan", (a) => void (a.primary = { name: "primary", existing: true })],
  ["clouds in provider-region form", (a) => { a.primary.cloud = "aws-us-east-1"; a.replicas[0].cloud = "do-nyc"; }],
  ["cloud given as an Output (checked later)", (a) => void (a.replicas[0].cloud = pulumi.output("Bad Cloud"))],
  ["failoverTo a promoted replica", (a) => { a.replicas[0].promote = true; a.failoverTo = "replica-a"; }],
  ["every flag as a boolean, waits as positive numbers", (a) => {
    a.primary.terminationProtection = false;
    a.replicas[0] = { name: "replica-a", promote: false, terminationProtection: true };
    a.waitForBackup = false;
    a.verifyReplication = true;
    a.timeoutSeconds = 60;
    a.pollSeconds = 0.5;
  }],
];

const failing: Case[] = [
  ["project with a space", (a) => void (a.project = "acme prod"), [
    { path: "project", message: "'acme prod' is not a valid project name; use 1-63 of letters, digits, '_' and '-'" },
  ]],
  ["project of 64 characters", (a) => void (a.project = "p".repeat(64)), [
    { path: "project", message: `'${"p".repeat(64)}' is not a valid project name; use 1-63 of letters, digits, '_' and '-'` },
  ]],
  ["empty project", (a) => void (a.project = ""), [
    { path: "project", message: "'' is not a valid project name; use 1-63 of letters, digits, '_' and '-'" },
  ]],
  ["serviceType dragonfly", (a) => void ((a as { serviceType: string }).serviceType = "dragonfly"), [
    { path: "serviceType", message: "'dragonfly' is not supported; use one of valkey, caching, redis. Read replicas work only within one service type, and Dragonfly is not supported" },
  ]],
  ["serviceType pg", (a) => void ((a as { serviceType: string }).serviceType = "pg"), [
    { path: "serviceType", message: "'pg' is not supported; use one of valkey, caching, redis. Read replicas work only within one service type, and Dragonfly is not supported" },
  ]],
  ["primary name with an uppercase letter", (a) => void (a.primary.name = "Primary"), [
    { path: "primary.name", message: "'Primary' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'" },
  ]],
  ["replica name starting with a digit", (a) => void (a.replicas[0].name = "1replica"), [
    { path: "replicas[0].name", message: "'1replica' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'" },
  ]],
  ["replica name of 64 characters", (a) => void (a.replicas[0].name = "r".repeat(64)), [
    { path: "replicas[0].name", message: `'${"r".repeat(64)}' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'` },
  ]],
  ["replica named like the primary", (a) => void (a.replicas[0].name = "primary"), [
    { path: "replicas[0].name", message: "'primary' is already used by another service of this set; names must be unique" },
  ]],
  ["two replicas with one name: the issue is on the later one", (a) => void (a.replicas = [{ name: "twin" }, { name: "other" }, { name: "twin" }]), [
    { path: "replicas[2].name", message: "'twin' is already used by another service of this set; names must be unique" },
  ]],
  ["six live replicas", (a) => void (a.replicas = replicas(6)), [
    { path: "replicas", message: "6 replicas that are not promoted; Aiven allows at most 5 read replicas per primary" },
  ]],
  ["replicas not a list", (a) => void ((a as { replicas: unknown }).replicas = undefined), [
    { path: "replicas", message: "must be a list of replicas (it may be empty)" },
  ]],
  ["replica plan business-4", (a) => void (a.replicas[0].plan = "business-4"), [
    { path: "replicas[0].plan", message: "'business-4' is not a read replica plan; allowed: startup-4" },
  ]],
  ["replica plan outside custom replicaPlans", (a) => { a.replicaPlans = ["startup-8"]; a.replicas[0].plan = "startup-4"; }, [
    { path: "replicas[0].plan", message: "'startup-4' is not a read replica plan; allowed: startup-8" },
  ]],
  ["replicaPlans with a business plan", (a) => { a.replicaPlans = ["startup-4", "business-4"]; }, [
    { path: "replicaPlans[1]", message: "'business-4' is not a startup plan; Aiven creates read replicas only on startup plans" },
  ]],
  ["primary without plan", (a) => void delete a.primary.plan, [
    { path: "primary.plan", message: "is required unless existing: true, e.g. 'business-4'" },
  ]],
  ["primary on a free plan", (a) => void (a.primary.plan = "free-1"), [
    { path: "primary.plan", message: "'free-1' has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'" },
  ]],
  ["plan together with existing", (a) => void (a.primary = { name: "primary", existing: true, plan: "business-4" }), [
    { path: "primary.plan", message: "cannot be set with existing: true; an adopted primary keeps its own plan" },
  ]],
  ["cloud and terminationProtection together with existing", (a) => void (a.primary = { name: "primary", existing: true, cloud: "aws-us-east-1", terminationProtection: true }), [
    { path: "primary.cloud", message: "cannot be set with existing: true; an adopted primary keeps its own cloud, and replicas default to it" },
    { path: "primary.terminationProtection", message: "cannot be set with existing: true; this set does not manage the adopted primary" },
  ]],
  ["promote given as the string 'false' (truthy: it would promote)", (a) => void ((a.replicas[0] as { promote: unknown }).promote = "false"), [
    { path: "replicas[0].promote", message: "'false' must be true or false" },
  ]],
  ["other flags that are not booleans", (a) => {
    (a.primary as { existing: unknown }).existing = "no";
    (a.replicas[0] as { terminationProtection: unknown }).terminationProtection = 1;
    (a as { waitForBackup: unknown }).waitForBackup = "true";
    (a as { verifyReplication: unknown }).verifyReplication = null;
  }, [
    { path: "primary.existing", message: "'no' must be true or false" },
    { path: "primary.plan", message: "cannot be set with existing: true; an adopted primary keeps its own plan" },
    { path: "primary.cloud", message: "cannot be set with existing: true; an adopted primary keeps its own cloud, and replicas default to it" },
    { path: "replicas[0].terminationProtection", message: "1 must be true or false" },
    { path: "waitForBackup", message: "'true' must be true or false" },
    { path: "verifyReplication", message: "null must be true or false" },
  ]],
  ["timeouts that are not positive numbers", (a) => { a.timeoutSeconds = 0; (a as { pollSeconds: unknown }).pollSeconds = "10"; }, [
    { path: "timeoutSeconds", message: "0 must be a positive number of seconds" },
    { path: "pollSeconds", message: "'10' must be a positive number of seconds" },
  ]],
  ["primary missing", (a) => void ((a as { primary: unknown }).primary = undefined), [
    { path: "primary", message: "is required: give at least { name, plan }" },
  ]],
  ["primary cloud without region", (a) => void (a.primary.cloud = "google"), [
    { path: "primary.cloud", message: "'google' is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'" },
  ]],
  ["replica cloud with uppercase", (a) => void (a.replicas[0].cloud = "AWS-us-east-1"), [
    { path: "replicas[0].cloud", message: "'AWS-us-east-1' is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'" },
  ]],
  ["failoverTo an unknown name", (a) => void (a.failoverTo = "nowhere"), [
    { path: "failoverTo", message: "'nowhere' is not a replica of this set; name a replica that has promote: true" },
  ]],
  ["failoverTo a replica that is not promoted", (a) => void (a.failoverTo = "replica-a"), [
    { path: "failoverTo", message: "'replica-a' is not promoted; set promote: true on it to fail over to it" },
  ]],
];

describe("validateReadReplicaSet", () => {
  test.each(passing)("accepts %s", (_, change) => {
    const args = base();
    change(args);
    expect(validateReadReplicaSet(args)).toEqual([]);
  });

  test.each(failing)("refuses %s", (_, change, expected) => {
    const args = base();
    change(args);
    expect(validateReadReplicaSet(args)).toEqual(expected);
  });

  test("reports several violations together, in argument order", () => {
    const issues = validateReadReplicaSet({
      project: "bad project",
      serviceType: "dragonfly" as "valkey",
      primary: { name: "primary", plan: "free-1", cloud: "nowhere" },
      replicas: [...replicas(6), { name: "replica-0", plan: "business-4" }],
      failoverTo: "replica-1",
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      "project",
      "serviceType",
      "primary.plan",
      "primary.cloud",
      "replicas[6].name",
      "replicas[6].plan",
      "replicas",
      "failoverTo",
    ]);
  });

  test("PreflightError lists every issue as path: message, one a line", () => {
    const error = new PreflightError([
      { path: "project", message: "bad" },
      { path: "replicas[1].plan", message: "worse" },
    ]);
    expect(error.message).toBe("ReadReplicaSet preflight failed with 2 issue(s):\nproject: bad\nreplicas[1].plan: worse");
    expect(error.issues).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
  });

  test("PreflightError is a Pulumi InputPropertiesError, so the engine shows each issue by its path", () => {
    const error = new PreflightError([
      { path: "project", message: "bad" },
      { path: "replicas[1].plan", message: "worse" },
    ]);
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect(error.errors).toEqual([
      { propertyPath: "project", reason: "bad" },
      { propertyPath: "replicas[1].plan", reason: "worse" },
    ]);
    expect(error.name).toBe("PreflightError");
  });
});

describe("validateReadReplicaSet: input of any shape returns issues, never throws", () => {
  const run = (args: unknown) => validateReadReplicaSet(args as ReadReplicaSetArgs);
  const issueOn = (path: string, change: (args: Record<string, unknown>) => void) => {
    const args = base() as unknown as Record<string, unknown>;
    change(args);
    return run(args).filter((issue) => issue.path === path || issue.path.startsWith(`${path}[`) || issue.path.startsWith(`${path}.`));
  };

  test.each<[string, unknown, string]>([
    ["null", null, "null must be an object with project, primary and replicas"],
    ["undefined", undefined, "is required: give an object with project, primary and replicas"],
    ["a string", "acme", "'acme' must be an object with project, primary and replicas"],
    ["a list", [], "[] must be an object with project, primary and replicas"],
  ])("args given as %s", (_, args, message) => {
    expect(run(args)).toEqual([{ path: "args", message }]);
  });

  test.each<[string, unknown, { path: string; message: string }[]]>([
    ["a string (a config value not split into a list)", "startup-4", [
      { path: "replicaPlans", message: "'startup-4' must be a list of plans, e.g. ['startup-4']" },
    ]],
    ["an object", { plan: "startup-4" }, [
      { path: "replicaPlans", message: "{\"plan\":\"startup-4\"} must be a list of plans, e.g. ['startup-4']" },
    ]],
    ["an empty list", [], [
      { path: "replicaPlans", message: "[] names no plan; give at least one startup plan, e.g. ['startup-4']" },
    ]],
    ["a list holding a number and a list", ["startup-4", 8, ["startup-8"]], [
      { path: "replicaPlans[1]", message: "8 is not a startup plan; Aiven creates read replicas only on startup plans" },
      { path: "replicaPlans[2]", message: "[\"startup-8\"] is not a startup plan; Aiven creates read replicas only on startup plans" },
    ]],
  ])("replicaPlans given as %s", (_, replicaPlans, expected) => {
    expect(issueOn("replicaPlans", (a) => void (a.replicaPlans = replicaPlans))).toEqual(expected);
  });

  test.each<[string, unknown, string]>([
    ["null", null, "null is not a plan name; give a paid plan such as 'business-4'"],
    ["a number", 4, "4 is not a plan name; give a paid plan such as 'business-4'"],
    ["an object", { name: "business-4" }, "{\"name\":\"business-4\"} is not a plan name; give a paid plan such as 'business-4'"],
    ["blank", "   ", "'   ' is blank; a plan is required unless existing: true, e.g. 'business-4'"],
    ["' free-1' (leading space)", " free-1", "' free-1' has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'"],
    ["'FREE-1' (upper case)", "FREE-1", "'FREE-1' has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'"],
    ["'Business-4' (upper case)", "Business-4", "'Business-4' is not a plan name; Aiven plans are lowercase letters, digits and '-', e.g. 'business-4'"],
    ["'business-4 ' (trailing space)", "business-4 ", "'business-4 ' is not a plan name; Aiven plans are lowercase letters, digits and '-', e.g. 'business-4'"],
  ])("primary.plan given as %s", (_, plan, message) => {
    expect(issueOn("primary.plan", (a) => void ((a.primary as Record<string, unknown>).plan = plan))).toEqual([{ path: "primary.plan", message }]);
  });

  test("a sparse replicas list: each hole is an issue", () => {
    const replicas: unknown[] = [];
    replicas[1] = { name: "replica-b" };
    replicas[3] = { name: "replica-d" };
    expect(issueOn("replicas", (a) => void (a.replicas = replicas))).toEqual([
      { path: "replicas[0]", message: "is empty; give an object with at least a name" },
      { path: "replicas[2]", message: "is empty; give an object with at least a name" },
    ]);
  });

  test("a replica that is not an object says what was given", () => {
    expect(issueOn("replicas", (a) => void (a.replicas = [null, "replica-b"]))).toEqual([
      { path: "replicas[0]", message: "null is not a replica; give an object with at least a name" },
      { path: "replicas[1]", message: "'replica-b' is not a replica; give an object with at least a name" },
    ]);
  });

  test.each<[string, unknown, string]>([
    ["NaN", NaN, "NaN must be a positive number of seconds"],
    ["Infinity", Infinity, "Infinity must be a positive number of seconds"],
    ["-Infinity", -Infinity, "-Infinity must be a positive number of seconds"],
    ["a BigInt", BigInt(10), "10n must be a positive number of seconds"],
    ["a Symbol", Symbol("ten"), "Symbol(ten) must be a positive number of seconds"],
  ])("timeoutSeconds given as %s says what was given", (_, value, message) => {
    expect(issueOn("timeoutSeconds", (a) => void (a.timeoutSeconds = value))).toEqual([{ path: "timeoutSeconds", message }]);
  });

  test("values that cannot be shown as JSON are still described: a Symbol serviceType, a circular failoverTo, a BigInt name", () => {
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const issues = run({ ...base(), serviceType: Symbol("valkey"), failoverTo: circular, primary: { name: BigInt(7), plan: "business-4" } });
    expect(issues).toEqual([
      { path: "serviceType", message: "Symbol(valkey) is not supported; use one of valkey, caching, redis. Read replicas work only within one service type, and Dragonfly is not supported" },
      { path: "primary.name", message: "7n is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'" },
      { path: "failoverTo", message: "an object that cannot be shown as JSON is not a replica of this set; name a replica that has promote: true" },
    ]);
  });

  test("a field whose getter throws is reported on its path", () => {
    const args = base() as unknown as Record<string, unknown>;
    Object.defineProperty(args, "project", { enumerable: true, get: () => { throw new Error("vault sealed"); } });
    Object.defineProperty(args.primary as object, "plan", { enumerable: true, get: () => { throw new TypeError("no plan today"); } });
    expect(run(args)).toEqual([
      { path: "project", message: "could not be read: vault sealed" },
      { path: "primary.plan", message: "could not be read: no plan today" },
    ]);
  });

  test("a long value is shortened in the message", () => {
    const [issue] = issueOn("project", (a) => void (a.project = "x".repeat(500)));
    expect(issue.message).toBe(`'${"x".repeat(77)}…' is not a valid project name; use 1-63 of letters, digits, '_' and '-'`);
  });
});
