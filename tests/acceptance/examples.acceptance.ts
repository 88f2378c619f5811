// Every example, and the root config-driven stack, deployed by the real engine with Aiven's own
// resource plugin against the emulator. Needs pulumi-resource-aiven in the toolchain's PULUMI_HOME.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { loadProgram } from "../../harness/programLoader";
import { ReadReplicaSet } from "../../index";
import { readBack } from "../../scripts/demoSteps";
import { withRedis } from "../../provider/replication";
import { changes, describeEngine, EngineRunError, EngineStack, nameOf, Run } from "./engine";
import { EngineFixture, PROJECT, useEngineFixture } from "./emulatorFixture";

const ROOT = path.resolve(__dirname, "../..");
const FAST = { pollSeconds: "0.2", timeoutSeconds: "600" };

/** An example's index.ts as an inline program, loaded fresh for each run, under its Pulumi.yaml project name. */
async function exampleStack(engine: EngineFixture, dir: string, stackName: string, config: Record<string, string>): Promise<EngineStack> {
  const projectName = (YAML.parse(fs.readFileSync(path.join(ROOT, dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
  const program = loadProgram(path.join(ROOT, dir, "index.ts"));
  return engine.stack({ projectName, stackName, program: async () => program() }, { config, workDir: engine.ctx.newWorkDir() });
}

/**
 * A refresh after a replica was promoted outside the program (out of band, or by a failover). Seen
 * under Pulumi 3.274: the engine diffs the refreshed replica (no integration any more) against its
 * declared inputs, and Aiven's provider refuses that service_integrations change before
 * ignoreChanges applies. The legacy refresh diff (outputs only) then passes.
 */
async function refreshAfterUndeclaredPromotion(stack: EngineStack): Promise<void> {
  const plain = await stack.refresh().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (plain === undefined) return;
  expect(plain).toBeInstanceOf(EngineRunError);
  expect((plain as EngineRunError).run.diagnostics.map((d) => d.message).join("\n")).toContain("service_integrations field can only be set during creation");
  console.log(`refresh of ${stack.name} refused by Aiven's provider after an undeclared promotion; run again with PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true`);
  await stack.refresh({ legacyDiff: true });
}

const replacedOrDeleted = (run: Run) => changes(run).filter((c) => /replace|delete/.test(c.op));

/** A describe block with Aiven's plugin; the program sees the AIVEN_WEB_URL the plugins see, as under `pulumi up`. */
function withEngine(name: string, body: (engine: EngineFixture) => void): void {
  describeEngine(name, () => body(useEngineFixture({ programSeesEmulator: true })), { aivenPlugin: true });
}

withEngine("examples/valkey-basic under the real engine", (engine) => {
  let stack: EngineStack;
  const names = { primary: "cache-primary", gcp: "cache-replica-gcp", aws: "cache-replica-aws" };

  beforeAll(async () => {
    const { aiven } = engine;
    stack = await exampleStack(engine, "examples/valkey-basic", "dev", { aivenProject: PROJECT, apiUrl: aiven.emulator.url, verifyReplication: String(aiven.emulator.enginesEnabled), ...FAST });
  });

  test("preview shows the plan: the set, its three services, the readiness and replication checks", async () => {
    const { run } = await stack.preview();
    const planned = run.events.flatMap((e) => (e.resourcePreEvent ? [`${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.type} ${nameOf(e.resourcePreEvent.metadata.urn)}`] : []));
    expect(planned.filter((p) => !p.includes("pulumi:pulumi:Stack")).sort()).toEqual(
      [
        "create aiven-read-replicas:index:ReadReplicaSet cache",
        "create aiven:index/valkey:Valkey cache-primary",
        "create aiven:index/valkey:Valkey cache-replica-cache-replica-gcp",
        "create aiven:index/valkey:Valkey cache-replica-cache-replica-aws",
        "create pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness cache-readiness",
        ...(engine.aiven.emulator.enginesEnabled ? ["create pulumi-nodejs:dynamic/aiven-read-replicas:ReplicationCheck cache-replication-check"] : []),
        "create pulumi:providers:aiven default_6_51_0",
        "create pulumi:providers:pulumi-nodejs default",
      ].sort(),
    );
    expect(await engine.aiven.services()).toEqual([]);
  });

  test("up creates the primary and both replicas; data written to the primary is read back from each replica", async () => {
    const { aiven } = engine;
    await stack.up();
    expect(await aiven.links()).toEqual([`${names.aws} <- ${names.primary}`, `${names.gcp} <- ${names.primary}`]);
    if (!aiven.emulator.enginesEnabled) return;
    const value = `acceptance ${Date.now()}`;
    await withRedis((await aiven.service(names.primary)).service_uri, (c) => c.set("acceptance:key", value));
    for (const replica of [names.gcp, names.aws]) {
      expect(await readBack((await aiven.service(replica)).service_uri, "acceptance:key", value, 10_000)).toBeDefined();
    }
  });

  test("promotion by config and up: exactly one integration deleted, nothing replaced", async () => {
    const { aiven } = engine;
    const deletesBefore = (await aiven.requests()).filter((r) => r.method === "DELETE").length;
    await stack.setConfig("promote", names.aws);
    const { run } = await stack.up();
    expect(replacedOrDeleted(run)).toEqual([]);
    expect(changes(run).map((c) => `${c.op} ${nameOf(c.urn)}`)).toContain(`create cache-promotion-${names.aws}`);
    expect((await aiven.requests()).filter((r) => r.method === "DELETE").slice(deletesBefore)).toHaveLength(1);
    expect(await aiven.links()).toEqual([`${names.gcp} <- ${names.primary}`]);
  });

  test("refresh after a promotion declared in the program, then a second up reports zero changes", async () => {
    await stack.refresh();
    const { result, run } = await stack.up();
    expect(changes(run)).toEqual([]);
    expect(Object.keys(result.summary.resourceChanges ?? {})).toEqual(["same"]);
  });

  test("an out-of-band promotion, then refresh and up: no error, no replacement", async () => {
    const { aiven } = engine;
    await aiven.promoteOutOfBand(names.gcp);
    await refreshAfterUndeclaredPromotion(stack);
    const { run } = await stack.up();
    expect(replacedOrDeleted(run)).toEqual([]);
    expect(await aiven.links()).toEqual([]);
  });

  test("destroy leaves no service and no integration behind", async () => {
    const { aiven } = engine;
    await stack.destroy();
    expect(await aiven.services()).toEqual([]);
  });
});

withEngine("examples/existing-primary under the real engine", (engine) => {
  test("replicas of a primary made outside Pulumi; destroy leaves the primary alone", async () => {
    const { aiven } = engine;
    await aiven.primaryWithReplicas("orders", []);
    const stack = await exampleStack(engine, "examples/existing-primary", "dev", { aivenProject: PROJECT, primaryName: "orders", replicaCount: "2", apiUrl: aiven.emulator.url, ...FAST });
    const { result } = await stack.up();
    expect(result.outputs.replicaServiceNames.value).toEqual(["orders-replica-1", "orders-replica-2"]);
    expect(await aiven.links()).toEqual(["orders-replica-1 <- orders", "orders-replica-2 <- orders"]);
    expect(changes((await stack.up()).run)).toEqual([]);
    await stack.destroy();
    expect((await aiven.services()).map((s) => s.service_name)).toEqual(["orders"]);
  });
});

withEngine("examples/caching-legacy under the real engine", (engine) => {
  test("business-4 primary and startup-4 replica of type redis, with the end-of-life warning in the diagnostics", async () => {
    const { aiven } = engine;
    const stack = await exampleStack(engine, "examples/caching-legacy", "dev", { aivenProject: PROJECT, apiUrl: aiven.emulator.url, ...FAST });
    const { run } = await stack.up();
    const warnings = run.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
    expect(warnings.some((w) => w.includes("end of life on 2025-03-31"))).toBe(true);
    expect((await aiven.services()).map((s) => [s.service_name, s.service_type, s.plan])).toEqual([
      ["legacy-cache-primary", "redis", "business-4"],
      ["legacy-cache-replica", "redis", "startup-4"],
    ]);
    await stack.destroy();
    expect(await aiven.services()).toEqual([]);
  });
});

withEngine("the root Pulumi.yaml stack under the real engine", (engine) => {
  test("configured only by `pulumi config set --path`", async () => {
    const { aiven, ctx } = engine;
    const projectName = (YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const program = loadProgram(path.join(ROOT, "stack", "index.ts"));
    const stack = await engine.stack({ projectName, stackName: "prod", program: async () => program() }, { workDir: ctx.newWorkDir() });
    const settings: Array<[string, string]> = [
      ["project", PROJECT],
      ["primary.name", "root-primary"],
      ["primary.plan", "business-4"],
      ["primary.cloud", "google-europe-west1"],
      ["replicas[0].name", "root-replica-1"],
      ["replicas[1].name", "root-replica-2"],
      ["replicas[1].cloud", "aws-eu-west-1"],
      ["apiUrl", aiven.emulator.url],
      ["pollSeconds", FAST.pollSeconds],
    ];
    for (const [key, value] of settings) await stack.setConfig(key, value, { path: true });
    await stack.up();
    expect(await aiven.links()).toEqual(["root-replica-1 <- root-primary", "root-replica-2 <- root-primary"]);
    await stack.setConfig("replicas[1].promote", "true", { path: true });
    const { run } = await stack.up();
    expect(replacedOrDeleted(run)).toEqual([]);
    expect(await aiven.links()).toEqual(["root-replica-1 <- root-primary"]);
    await stack.destroy();
    expect(await aiven.services()).toEqual([]);
  });
});

withEngine("examples/promote-and-failover and its app stack under the real engine", (engine) => {
  test("the emulator fails the primary; refresh, failover by config and up: writeEndpoint moves, nothing replaced, the app follows", async () => {
    const { aiven } = engine;
    const infra = await exampleStack(engine, "examples/promote-and-failover", "prod", { aivenProject: PROJECT, apiUrl: aiven.emulator.url, ...FAST });
    const app = await exampleStack(engine, "examples/promote-and-failover/app", "prod", { infraStack: "organization/promote-and-failover/prod" });
    await infra.up();
    expect((await app.up()).result.outputs.cacheService.value).toBe("sessions");

    await aiven.admin.post(`/_emulator/projects/${PROJECT}/services/sessions/fail`);
    await refreshAfterUndeclaredPromotion(infra);
    await infra.setConfig("failover", "true");
    const { result, run } = await infra.up();
    expect(replacedOrDeleted(run)).toEqual([]);
    const promoted = await aiven.service("sessions-us");
    expect(result.outputs.writeEndpoint).toEqual({ value: promoted.service_uri, secret: true });

    const followed = await app.up();
    expect(followed.result.outputs.cacheService.value).toBe("sessions-us");
    expect(followed.result.outputs.cacheUrl).toEqual({ value: promoted.service_uri, secret: true });
  });
});

withEngine("ReadReplicaSet with Aiven's plugin: the token as an argument only, and API faults", (engine) => {
  test("a token given only as apiToken creates the services and the checks (no aiven:apiToken, empty AIVEN_TOKEN)", async () => {
    const { aiven, ctx } = engine;
    const program = async () => {
      const set = new ReadReplicaSet("tok", {
        project: PROJECT,
        primary: { name: "tok-primary", plan: "business-4", cloud: "google-europe-west1" },
        replicas: [{ name: "tok-replica" }],
        apiToken: aiven.token,
        pollSeconds: 0.2,
      });
      return { replicaServiceNames: set.replicaServiceNames };
    };
    const stack = await engine.stack({ projectName: "token-only", program }, { workDir: ctx.newWorkDir(), token: false });
    const { result } = await stack.up();
    expect(result.outputs.replicaServiceNames.value).toEqual(["tok-replica"]);
    expect(await aiven.links()).toEqual(["tok-replica <- tok-primary"]);
    const exported = await stack.exportText();
    expect(exported).not.toContain(aiven.token);
    await stack.destroy();
    expect(await aiven.services()).toEqual([]);
  });

  test("429 with Retry-After and 5xx on the routes Aiven's provider calls: the up converges, no duplicate service", async () => {
    const { aiven } = engine;
    const base = `/v1/project/${PROJECT}`;
    await aiven.fault({ method: "POST", path: `${base}/service`, status: 429, retryAfter: 1, count: 1 });
    await aiven.fault({ method: "GET", path: `${base}/service/cache-primary`, status: 503, count: 2 });
    const stack = await exampleStack(engine, "examples/valkey-basic", "faults", { aivenProject: PROJECT, apiUrl: aiven.emulator.url, verifyReplication: "false", ...FAST });
    let converged = true;
    try {
      await stack.up();
    } catch {
      converged = false;
      await stack.up();
    }
    console.log(`valkey-basic under 429/5xx: ${converged ? "converged in one up" : "failed, the rerun converged"}`);
    const statuses = (await aiven.requests()).map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThanOrEqual(1);
    expect((await aiven.services()).map((s) => s.service_name)).toEqual(["cache-primary", "cache-replica-aws", "cache-replica-gcp"]);
    expect(await aiven.links()).toEqual(["cache-replica-aws <- cache-primary", "cache-replica-gcp <- cache-primary"]);
    await stack.destroy();
  });
});
