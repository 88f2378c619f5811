import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Redis from "ioredis";
import { EngineManager, findRedisServer } from "../../emulator/engines";
import { createReplica, createService, getService, primaryWithBackup, ServiceJson, start, TestEmulator, waitFor } from "./helpers";
import { childRedisServers, isAlive } from "../helpers/processes";

const hasRedis = findRedisServer() !== undefined;
if (!hasRedis) {
  console.warn("engine tests skipped: redis-server is not on PATH (install it with `sudo apt-get install -y redis-server`)");
}

const P = "engines";
const clients: Redis[] = [];

function connect(service: ServiceJson): Redis {
  const client = new Redis(service.service_uri, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: false });
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

async function closeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
}

async function running(t: TestEmulator, name: string): Promise<ServiceJson> {
  return waitFor(`${name} RUNNING`, async () => {
    const s = await getService(t.api, P, name);
    return s.state === "RUNNING" ? s : undefined;
  });
}

(hasRedis ? describe : describe.skip)("with redis-server engines", () => {
  let t: TestEmulator;

  beforeAll(async () => {
    t = await start({ engines: "auto" });
  });
  afterAll(async () => {
    await closeClients();
    await t.emulator.close();
  });

  test("each service gets its own engine; the URI, params and components point at it", async () => {
    expect(t.emulator.enginesEnabled).toBe(true);
    const prim = await primaryWithBackup(t.api, P, "uri-check");
    const port = Number(prim.service_uri_params.port);
    expect(port).toBeGreaterThan(0);
    expect(prim.service_uri).toBe(`redis://default:${prim.service_uri_params.password}@127.0.0.1:${port}`);
    expect(prim.components[0]).toEqual({ component: "valkey", host: "127.0.0.1", port, route: "dynamic", usage: "primary", ssl: false });
    const client = connect(prim);
    expect(await client.ping()).toBe("PONG");
    const wrong = new Redis({ host: "127.0.0.1", port, password: "wrong", lazyConnect: true, retryStrategy: () => null });
    const refused = await new Promise<Error>((resolve) => {
      wrong.once("error", resolve);
      wrong.connect().catch(() => undefined);
    });
    wrong.disconnect();
    expect(refused.message).toMatch(/WRONGPASS/);
  });

  test("a replica replicates, refuses writes, and accepts them once promoted", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const created = await createReplica(t.api, P, "rep", "prim");
    expect(created.status).toBe(200);
    const prim = await getService(t.api, P, "prim");
    const rep = await running(t, "rep");
    expect(rep.service_uri_params.password).not.toBe(prim.service_uri_params.password);

    const primary = connect(prim);
    const replica = connect(rep);
    await primary.set("greeting", "hello");
    await waitFor("the key on the replica", async () => ((await replica.get("greeting")) === "hello" ? true : undefined));
    await expect(replica.set("greeting", "mine")).rejects.toThrow(/READONLY/);

    const id = rep.service_integrations[0].service_integration_id;
    expect((await t.api.delete(`/v1/project/${P}/integration/${id}`)).status).toBe(200);
    // Only the end state here: the transitional REBUILDING is asserted in api.test.ts with a
    // 10 s promoteMs, where no scheduling delay can skip it.
    await running(t, "rep");
    expect(await replica.set("greeting", "mine")).toBe("OK");
    expect(await replica.get("greeting")).toBe("mine");
    expect(await primary.get("greeting")).toBe("hello");
  });

  test("a failed primary stops its engine and its replica is promoted", async () => {
    await primaryWithBackup(t.api, P, "doomed");
    await createReplica(t.api, P, "survivor", "doomed");
    const survivor = await running(t, "survivor");
    const pidsBefore = t.emulator.enginePids();
    expect((await t.admin.post(`/_emulator/projects/${P}/services/doomed/fail`)).status).toBe(200);
    expect(t.emulator.enginePids()).toHaveLength(pidsBefore.length - 1);
    await running(t, "survivor");
    const client = connect(survivor);
    expect(await client.set("after-failover", "1")).toBe("OK");
  });
});

(hasRedis ? test : test.skip)("close() stops every redis-server, and a restart on a state file relinks replicas", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-engines-"));
  const file = path.join(dir, "state.json");
  try {
    const first = await start({ engines: "auto", stateFile: file });
    await primaryWithBackup(first.api, P, "p1");
    await createReplica(first.api, P, "r1", "p1");
    await running(first, "r1");
    const pids = first.emulator.enginePids();
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    await first.emulator.close();
    expect(pids.filter(isAlive)).toEqual([]);

    const second = await start({ engines: "auto", stateFile: file });
    try {
      const p1 = await running(second, "p1");
      const r1 = await running(second, "r1");
      const primary = connect(p1);
      const replica = connect(r1);
      await primary.set("after-restart", "yes");
      await waitFor("replication after restart", async () => ((await replica.get("after-restart")) === "yes" ? true : undefined));
      await expect(replica.set("x", "1")).rejects.toThrow(/READONLY/);
    } finally {
      await closeClients();
      const restartedPids = second.emulator.enginePids();
      await second.emulator.close();
      expect(restartedPids.filter(isAlive)).toEqual([]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("an engine that cannot start", () => {
  let bin: string;
  let counter: string;
  beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "emu-fake-redis-"));
    counter = path.join(bin, "attempts");
    // A redis-server that always fails at once, counting its starts.
    fs.writeFileSync(path.join(bin, "redis-server"), `#!/bin/sh\necho started >> "${counter}"\necho "cannot bind" >&2\nexit 1\n`, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));
  const attempts = (): number => (fs.existsSync(counter) ? fs.readFileSync(counter, "utf8").split("\n").filter(Boolean).length : 0);

  test("is dropped after its attempts, logged, and a later start tries again", async () => {
    const lines: string[] = [];
    const manager = new EngineManager(path.join(bin, "redis-server"), (line) => lines.push(line));
    try {
      await expect(manager.start("p/x", "pw")).rejects.toThrow(/redis-server exited/);
      expect(attempts()).toBe(5);
      expect(manager.pids()).toEqual([]);
      expect(manager.hasFailed("p/x")).toBe(true);
      await waitFor("the log line", async () => (lines.some((l) => /^engine p\/x failed to start/.test(l)) ? true : undefined));
      await expect(manager.start("p/x", "pw")).rejects.toThrow(/redis-server exited/);
      expect(attempts()).toBe(10);
    } finally {
      await manager.shutdown();
      manager.dispose();
    }
  });

  test("its service goes on metadata only instead of staying REBUILDING", async () => {
    const lines: string[] = [];
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
    let t: TestEmulator;
    try {
      t = await start({ engines: "auto", log: (line) => lines.push(line) });
    } finally {
      process.env.PATH = savedPath;
    }
    try {
      expect(t.emulator.enginesEnabled).toBe(true);
      expect((await createService(t.api, P, { service_name: "broken", plan: "business-4" })).status).toBe(200);
      const s = await running(t, "broken");
      expect(s.service_uri).toMatch(/@broken-engines\.aivencloud\.com:\d+$/);
      expect(lines.some((l) => /^engine engines\/broken failed to start .*metadata only/.test(l))).toBe(true);
    } finally {
      await t.emulator.close();
    }
  });
});

(hasRedis ? test : test.skip)("a create held by a delayMs fault while close() runs starts no redis-server afterwards", async () => {
  const before = new Set(childRedisServers(process.pid));
  const t = await start({ engines: "auto" });
  const delayMs = 500;
  await t.admin.post("/_emulator/faults", { method: "POST", path: `/v1/project/${P}/service`, delayMs });
  const held = createService(t.api, P, { service_name: "late", plan: "business-4" }).catch((err: Error) => err);
  // The fault is taken once the request has arrived and is being held.
  await waitFor("the request to be held", async () => ((await t.admin.get("/_emulator/faults")).data.faults.length === 0 ? true : undefined));
  const heldSince = Date.now();
  await t.emulator.close();
  await held;
  // Watch well past the end of the delay: without the guard the create spawns an engine then.
  const seen = new Set<number>();
  while (Date.now() < heldSince + delayMs + 1_500) {
    for (const pid of childRedisServers(process.pid)) if (!before.has(pid)) seen.add(pid);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect([...seen]).toEqual([]);
  expect(t.emulator.enginePids()).toEqual([]);
});
