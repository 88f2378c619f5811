import { ChildProcess, spawn } from "child_process";
import * as path from "path";

// The pack as the Pulumi CLI runs it: @pulumi/pulumi's run-policy-pack loads policy/index.ts (and,
// through it, provider/rules.ts) and serves the analyzer protocol; the engine's calls are made
// here over gRPC. The CLI itself and Aiven's provider plugin are not needed for this.
const PACK_DIR = path.join(__dirname, "..", "..", "policy");
const fromPack = <T>(module: string): T => require(require.resolve(module, { paths: [PACK_DIR] })) as T;

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated protobuf classes have no typings we can reach from here */
const grpc = fromPack<any>("@grpc/grpc-js");
const rpc = fromPack<any>("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = fromPack<any>("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = fromPack<any>("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPack<any>("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-explicit-any */

const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];
const VALKEY = "aiven:index/valkey:Valkey";
const REDIS = "aiven:index/redis:Redis";
// How the engine sends a value it does not know yet during preview.
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
// A resource analysis answers without a URN: the engine reports it on the resource it sent.
const THIS_RESOURCE = "";

interface Diagnostic {
  policy: string;
  level: string;
  resource: string;
  message: string;
}

let pack: ChildProcess;
let client: { [method: string]: (request: unknown, done: (e: Error | null, r: unknown) => void) => void };

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](request, (e, r) => (e ? reject(e) : resolve(r as T))));
}

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  // The engine address is only used for log calls, which these requests do not cause.
  pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  pack.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    pack.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const match = /^(\d+)\s/.exec(stdout);
      if (match) resolve(match[1]);
    });
    pack.on("exit", (code) => reject(new Error(`the pack exited with ${code} before serving: ${stderr}`)));
  });
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 90_000);

afterAll(() => {
  (client as unknown as { close?: () => void })?.close?.();
  pack?.kill();
});

/** An AnalyzerResource or an AnalyzeRequest: the engine fills both with the same fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function described(message: any, type: string, name: string, props: Record<string, unknown>, ignoreChanges: string[]): unknown {
  message.setType(type);
  message.setName(name);
  message.setUrn(`urn:pulumi:dev::shop::${type}::${name}`);
  message.setProperties(Struct.fromJavaScript(props));
  const options = new pb.AnalyzerResourceOptions();
  options.setIgnorechangesList(ignoreChanges);
  message.setOptions(options);
  return message;
}

function resource(type: string, name: string, props: Record<string, unknown>, ignoreChanges: string[] = []): unknown {
  return described(new pb.AnalyzerResource(), type, name, props, ignoreChanges);
}

const primary = (name: string, extra: Record<string, unknown> = {}) => ({ project: "acme", serviceName: name, plan: "business-4", ...extra });
const replicaOf = (name: string, source: string, extra: Record<string, unknown> = {}) => ({
  project: "acme",
  serviceName: name,
  plan: "startup-4",
  serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: source }],
  ...extra,
});

function diagnostics(response: { getDiagnosticsList(): Array<Record<string, () => unknown>> }): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname() as string,
    level: LEVEL[d.getEnforcementlevel() as number],
    resource: String(d.getUrn()).split("::").pop() ?? "",
    // The SDK puts the policy's description first; the violation is the last line.
    message: String(d.getMessage()).split("\n").pop() ?? "",
  }));
}

async function analyzeStack(resources: unknown[]): Promise<Diagnostic[]> {
  const request = new pb.AnalyzeStackRequest();
  request.setResourcesList(resources);
  return diagnostics(await call("analyzeStack", request));
}

async function analyze(type: string, name: string, props: Record<string, unknown>, ignoreChanges: string[] = []): Promise<Diagnostic[]> {
  return diagnostics(await call("analyze", described(new pb.AnalyzeRequest(), type, name, props, ignoreChanges)));
}

async function configure(config: Record<string, { level: keyof typeof pb.EnforcementLevel; properties?: Record<string, unknown> }>): Promise<void> {
  const request = new pb.ConfigureAnalyzerRequest();
  for (const [policy, { level, properties }] of Object.entries(config)) {
    const c = new pb.PolicyConfig();
    c.setEnforcementlevel(pb.EnforcementLevel[level]);
    c.setProperties(Struct.fromJavaScript(properties ?? {}));
    request.getPolicyconfigMap().set(policy, c);
  }
  await call("configure", request);
}

// One pack process serves every test, as in one preview; the configuration tests come last.
test("the pack names itself and its six policies with their default levels", async () => {
  const info = await call<{ getName(): string; getPoliciesList(): Array<{ getName(): string; getEnforcementlevel(): number }> }>("getAnalyzerInfo", new Empty());
  expect(info.getName()).toBe("aiven-read-replicas");
  expect(info.getPoliciesList().map((p) => `${p.getName()}: ${LEVEL[p.getEnforcementlevel()]}`)).toEqual([
    "aiven-replica-plan: mandatory",
    "aiven-replicas-per-primary: mandatory",
    "aiven-replica-service-type: mandatory",
    "aiven-replica-source-declared: mandatory",
    "aiven-service-integrations-fixed: advisory",
    "aiven-primary-termination-protection: advisory",
  ]);
});

test("a good stack: no diagnostics", async () => {
  const resources = [
    resource(VALKEY, "cache", primary("cache", { terminationProtection: true })),
    ...[1, 2, 3].map((i) => resource(VALKEY, `cache-r${i}`, replicaOf(`cache-r${i}`, "cache"), ["serviceIntegrations"])),
  ];
  expect(await analyzeStack(resources)).toEqual([]);
  expect(await analyze(VALKEY, "cache-r1", replicaOf("cache-r1", "cache"), ["serviceIntegrations"])).toEqual([]);
});

test("a stack that breaks each stack rule: each violation with its resource and level", async () => {
  const resources = [
    resource(VALKEY, "cache", primary("cache")),
    ...[0, 1, 2, 3, 4, 5].map((i) => resource(VALKEY, `cache-r${i}`, replicaOf(`cache-r${i}`, "cache"), ["serviceIntegrations"])),
    resource(REDIS, "old-r1", replicaOf("old-r1", "cache"), ["serviceIntegrations"]),
    resource(VALKEY, "typo-r1", replicaOf("typo-r1", "cahce"), ["serviceIntegrations"]),
  ];
  const found = await analyzeStack(resources);
  expect(found.map(({ policy, level, resource: r }) => [policy, level, r])).toEqual([
    ["aiven-replicas-per-primary", "mandatory", "cache"],
    ["aiven-replica-service-type", "mandatory", "old-r1"],
    ["aiven-replica-source-declared", "mandatory", "typo-r1"],
    ["aiven-primary-termination-protection", "advisory", "cache"],
  ]);
  expect(found[0].message).toMatch(/^source service 'cache' in project 'acme': 7 replicas that are not promoted; Aiven allows at most 5 read replicas per primary; /);
  expect(found[2].message).toContain("source service 'cahce' is not declared in this stack (did you mean 'cache'?)");
});

test("a resource that breaks the resource rules", async () => {
  expect(await analyze(VALKEY, "big-r1", replicaOf("big-r1", "cache", { plan: "business-4" }))).toEqual([
    {
      policy: "aiven-replica-plan",
      level: "mandatory",
      resource: THIS_RESOURCE,
      message: "aiven.Valkey 'big-r1' (service 'big-r1'): plan 'business-4' is not a startup plan; Aiven creates read replicas only on startup plans",
    },
    expect.objectContaining({ policy: "aiven-service-integrations-fixed", level: "advisory", resource: THIS_RESOURCE }),
  ]);
});

test("values not known yet (preview) are not judged, and no policy gives up on the stack", async () => {
  const resources = [
    resource(VALKEY, "cache", primary("cache", { terminationProtection: true })),
    resource(VALKEY, "later-r1", replicaOf("later-r1", UNKNOWN_STRING, { plan: UNKNOWN_STRING, project: UNKNOWN_STRING }), ["serviceIntegrations"]),
  ];
  expect(await analyzeStack(resources)).toEqual([]);
});

test("levels and options come from the pack's configuration", async () => {
  await configure({
    "aiven-replica-plan": { level: "ADVISORY", properties: { allowedPlans: ["startup-8"] } },
    "aiven-primary-termination-protection": { level: "DISABLED" },
    "aiven-replica-source-declared": { level: "MANDATORY", properties: { knownSourceServices: ["legacy"] } },
  });
  expect(await analyze(VALKEY, "r1", replicaOf("r1", "cache"), ["serviceIntegrations"])).toEqual([
    { policy: "aiven-replica-plan", level: "advisory", resource: THIS_RESOURCE, message: "aiven.Valkey 'r1' (service 'r1'): plan 'startup-4' is not a read replica plan; allowed: startup-8" },
  ]);
  const resources = [resource(VALKEY, "cache", primary("cache")), resource(VALKEY, "r1", replicaOf("r1", "legacy", { plan: "startup-8" }), ["serviceIntegrations"]), resource(VALKEY, "r2", replicaOf("r2", "cache", { plan: "startup-8" }), ["serviceIntegrations"])];
  expect(await analyzeStack(resources)).toEqual([]);
});
