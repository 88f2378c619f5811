// Aiven's CLI `avn` on the product documents' flows, run unchanged against the emulator.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator, startEmulator } from "../../emulator";
import { findRedisServer } from "../../emulator/engines";
import { withRedis } from "../replication/topology";
import { AvnResult, AvnRunner, avnFor, findAvn } from "./avn";

const avnPath = findAvn();
const hasRedis = findRedisServer() !== undefined;
if (!avnPath) {
  console.warn(
    "avn conformance tests skipped: avn not found (set AVN_BIN, or run scripts/install-avn.sh to install the pinned aiven-client)",
  );
} else if (!hasRedis) {
  console.warn("avn conformance: redis-server is not on PATH, so data replication is not checked (the API flows are)");
}

const P = "avn-project";
const TOKEN = "avn-conformance-token";
const CLOUD = "google-europe-west1";

interface ServiceOut {
  service_name: string;
  service_type: string;
  state: string;
  service_uri: string;
  service_integrations: { integration_type: string; source_service: string; dest_service: string; service_integration_id: string }[];
}
interface IntegrationOut {
  service_integration_id: string;
  integration_type: string;
  source_service: string;
  dest_service: string;
}

let emulator: Emulator;
let avn: AvnRunner;
let configDir: string;
const ran: { args: string[]; result: AvnResult }[] = [];

/** Every avn call goes through here, so the suite can check that none printed a traceback. */
async function run(...args: string[]): Promise<AvnResult> {
  const result = await avn(...args);
  ran.push({ args, result });
  return result;
}

async function ok(...args: string[]): Promise<string> {
  const result = await run(...args);
  if (result.code !== 0) throw new Error(`avn ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function okJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await ok(...args, "--json")) as T;
}

const serviceNames = async (): Promise<string[]> =>
  (await okJson<ServiceOut[]>("service", "list", "--project", P)).map((s) => s.service_name).sort();

async function createPrimary(name: string, type: "valkey" | "redis"): Promise<void> {
  await ok("service", "create", "-t", type, "-p", "business-4", "--project", P, "--cloud", CLOUD, name);
  await ok("service", "wait", "--project", P, name);
  // The first backup follows RUNNING after the emulator's backup delay; replicas need it.
  await eventually(`${name} backup`, async () => (await okJson<unknown[]>("service", "backup-list", "--project", P, name)).length > 0);
}

/** The documents' replica command: `avn service create -t TYPE -p startup-4 --project P --read-replica-for PRIMARY REPLICA`. */
function createReplica(name: string, primary: string, type: "valkey" | "redis", plan = "startup-4"): Promise<AvnResult> {
  return run("service", "create", "-t", type, "-p", plan, "--project", P, "--read-replica-for", primary, name);
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

(avnPath ? describe : describe.skip)("avn (aiven-client) against the emulator", () => {
  jest.setTimeout(180_000);

  beforeAll(async () => {
    emulator = await startEmulator({ token: TOKEN, engines: "auto", buildMs: 50, backupMs: 50, promoteMs: 50 });
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "avn-config-"));
    avn = avnFor(avnPath!, emulator.url, TOKEN, configDir);
  });
  afterAll(async () => {
    await emulator?.close();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    // Each test starts from an empty project.
    await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
  });

  test("the Valkey flow: primary, wait, backup-list, replica, integration-list, promotion, terminate", async () => {
    await createPrimary("prim", "valkey");
    const backups = await ok("service", "backup-list", "--project", P, "prim");
    expect(backups).toMatch(/BACKUP_NAME\s+BACKUP_TIME\s+DATA_SIZE\s+STORAGE_LOCATION/);
    expect(backups.trim().split("\n")).toHaveLength(3);

    const created = await createReplica("rep", "prim", "valkey");
    expect(created.code).toBe(0);
    await ok("service", "wait", "--project", P, "rep");

    const listed = await ok("service", "integration-list", "--project", P, "rep");
    const integrations = await okJson<IntegrationOut[]>("service", "integration-list", "--project", P, "rep");
    expect(integrations).toEqual([
      expect.objectContaining({ integration_type: "read_replica", source_service: "prim", dest_service: "rep" }),
    ]);
    const id = integrations[0].service_integration_id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(listed).toContain(id);
    expect(listed).toMatch(/read_replica/);

    const prim = await okJson<ServiceOut>("service", "get", "--project", P, "prim");
    let rep = await okJson<ServiceOut>("service", "get", "--project", P, "rep");
    if (hasRedis) {
      await withRedis(prim.service_uri, (c) => c.set("before", "1"));
      await eventually("replication of 'before'", () => withRedis(rep.service_uri, async (c) => (await c.get("before")) === "1"));
      await expect(withRedis(rep.service_uri, (c) => c.set("x", "1"))).rejects.toThrow(/READONLY/);
    }

    await ok("service", "integration-delete", "--project", P, id);
    await ok("service", "wait", "--project", P, "rep");
    rep = await okJson<ServiceOut>("service", "get", "--project", P, "rep");
    expect(rep.state).toBe("RUNNING");
    expect(rep.service_integrations).toEqual([]);
    expect(await okJson<unknown[]>("service", "integration-list", "--project", P, "prim")).toEqual([]);
    if (hasRedis) {
      await withRedis(rep.service_uri, (c) => c.set("own", "write"));
      await withRedis(prim.service_uri, (c) => c.set("after", "1"));
      // The primary's new write must never arrive: give a live link ample time to deliver it.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await withRedis(rep.service_uri, (c) => c.mget("own", "after", "before"))).toEqual(["write", null, "1"]);
      expect(await withRedis(rep.service_uri, (c) => c.info("replication"))).toMatch(/role:master/);
    }

    await ok("service", "terminate", "--force", "--project", P, "rep", "prim");
    expect(await serviceNames()).toEqual([]);
  });

  test("the Caching (redis) flow: --read-replica-for on a redis primary, listed and promoted", async () => {
    await createPrimary("cache", "redis");
    expect((await createReplica("cache-rep", "cache", "redis")).code).toBe(0);
    await ok("service", "wait", "--project", P, "cache-rep");
    const [link] = await okJson<IntegrationOut[]>("service", "integration-list", "--project", P, "cache-rep");
    expect(link).toMatchObject({ integration_type: "read_replica", source_service: "cache", dest_service: "cache-rep" });
    const rep = await okJson<ServiceOut>("service", "get", "--project", P, "cache-rep");
    expect(rep.service_type).toBe("redis");
    await ok("service", "integration-delete", "--project", P, link.service_integration_id);
    await ok("service", "wait", "--project", P, "cache-rep");
    expect((await okJson<ServiceOut>("service", "get", "--project", P, "cache-rep")).service_integrations).toEqual([]);
    await ok("service", "terminate", "--force", "--project", P, "cache-rep", "cache");
  });

  test("each refusal prints Aiven's reason, exits 1 and creates nothing", async () => {
    await createPrimary("prim", "valkey");
    await createPrimary("other", "redis");
    for (let i = 1; i <= 5; i++) expect((await createReplica(`rep${i}`, "prim", "valkey")).code).toBe(0);
    const before = await serviceNames();

    const refusals: [string, Promise<AvnResult>, RegExp][] = [
      ["a sixth replica", createReplica("rep6", "prim", "valkey"), /already has the maximum of 5 read replicas/],
      ["a business plan", createReplica("big", "other", "redis", "business-4"), /only on startup plans/],
      ["another service type", createReplica("mixed", "other", "valkey"), /same service type/],
      ["a missing source", createReplica("orphan", "nope", "valkey"), /'nope' does not exist/],
    ];
    for (const [what, pending, reason] of refusals) {
      const result = await pending;
      expect({ what, code: result.code }).toEqual({ what, code: 1 });
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/command failed: Error: .* \(status 400\)/);
    }
    expect(await serviceNames()).toEqual(before);
  });

  test("project list, service types, user config options, and the wrong-token refusal", async () => {
    await ok("service", "create", "-t", "valkey", "-p", "startup-4", "--project", P, "-c", "valkey_maxmemory_policy=allkeys-lru", "conf");
    expect(await okJson<{ project_name: string }[]>("project", "list")).toEqual([expect.objectContaining({ project_name: P })]);
    expect(await ok("project", "list")).toContain(P);
    const types = await ok("service", "types", "--project", P);
    expect(types).toMatch(/valkey\s+Aiven for Valkey/);
    expect(types).toMatch(/redis\s+Aiven for Caching/);
    const service = await okJson<{ user_config: Record<string, unknown> }>("service", "get", "--project", P, "conf");
    expect(service.user_config).toEqual({ valkey_maxmemory_policy: "allkeys-lru" });
    expect(await ok("service", "get", "--project", P, "conf", "-v")).toContain("disk_space_mb");

    const unknownOption = await run("service", "create", "-t", "valkey", "-p", "startup-4", "--project", P, "-c", "nope=1", "x1");
    expect(unknownOption.code).toBe(1);
    expect(unknownOption.stderr).toMatch(/Unsupported option 'nope'/);
    const unknownType = await run("service", "create", "-t", "pg", "-p", "startup-4", "--project", P, "x2");
    expect(unknownType.code).toBe(1);
    expect(unknownType.stderr).toMatch(/Unknown service type 'pg'/);

    const wrongToken = await avnFor(avnPath!, emulator.url, "wrong-token", configDir)("service", "list", "--project", P);
    ran.push({ args: ["service", "list (wrong token)"], result: wrongToken });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/Authentication failed \(status 403\)/);
    expect(await serviceNames()).toEqual(["conf"]);
  });

  test("service update: maintenance window and termination protection, which refuses terminate with Aiven's reason", async () => {
    await ok("service", "create", "-t", "valkey", "-p", "startup-4", "--project", P, "guarded");
    await ok("service", "update", "--project", P, "--maintenance-dow", "sunday", "--maintenance-time", "03:00:00", "--enable-termination-protection", "guarded");
    const updated = await okJson<{ termination_protection: boolean; maintenance: { dow: string; time: string } }>("service", "get", "--project", P, "guarded");
    expect(updated).toMatchObject({ termination_protection: true, maintenance: { dow: "sunday", time: "03:00:00" } });
    const refused = await run("service", "terminate", "--force", "--project", P, "guarded");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Service is protected against termination and shutdown.*\(status 403\)/);
    expect(await serviceNames()).toEqual(["guarded"]);
    await ok("service", "update", "--project", P, "--disable-termination-protection", "guarded");
    await ok("service", "terminate", "--force", "--project", P, "guarded");
    expect(await serviceNames()).toEqual([]);
  });

  test("no avn command printed a Python traceback", () => {
    expect(ran.length).toBeGreaterThan(20);
    const withTraceback = ran.filter(({ result }) => /Traceback \(most recent call last\)/.test(result.stdout + result.stderr));
    expect(withTraceback.map(({ args, result }) => `avn ${args.join(" ")}: ${result.stderr}`)).toEqual([]);
  });
});
