// An emulator with real redis-server engines and a primary with read replicas created through
// the API as the seeds' curl flows do; shared by the replication and CLI suites.
import { Emulator, startEmulator } from "../../emulator";
import { findRedisServer } from "../../emulator/engines";
import { AivenClient } from "../../provider/aivenClient";
import type { AivenService } from "../../provider/aivenTypes";
import { CANARY_PREFIX, checkReplication, withRedis as withRedisClient } from "../../provider/replication";

export const hasRedis = findRedisServer() !== undefined;
let warned = false;

/** `describe` when redis-server is on PATH, else `describe.skip` with the reason printed once. */
export function describeWithEngines(name: string, fn: () => void): void {
  if (!hasRedis && !warned) {
    warned = true;
    console.warn(`skipping engine-backed tests: redis-server is not on PATH (${process.env.PATH ?? ""})`);
  }
  (hasRedis ? describe : describe.skip)(name, fn);
}

export const TOKEN = "emulator-token-7f3c2a";

export interface Topology {
  emulator: Emulator;
  client: AivenClient;
  project: string;
}

export async function startTopologyEmulator(project = "proj"): Promise<Topology> {
  const emulator = await startEmulator({ engines: "auto", token: TOKEN, buildMs: 20, backupMs: 20, promoteMs: 20 });
  const client = new AivenClient({ token: TOKEN, apiUrl: emulator.url, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 60_000 });
  return { emulator, client, project };
}

export async function until<T>(what: string, poll: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the service is RUNNING with a live engine (and, for a primary, a backup). */
export function running(t: Topology, name: string, needBackup = false): Promise<AivenService> {
  return until(`${name} to run`, async () => {
    const s = await t.client.getService(t.project, name);
    const ready = s.state === "RUNNING" && !(s.service_uri ?? "").endsWith(":0") && (!needBackup || (s.backups ?? []).length > 0);
    return ready ? s : undefined;
  });
}

/** Creates a primary and its replicas; resolves once every engine replicates (master_link_status:up). */
export async function createSet(t: Topology, primary: string, replicas: string[]): Promise<Record<string, AivenService>> {
  await t.client.createService(t.project, { service_name: primary, service_type: "valkey", plan: "business-4", cloud: "google-europe-west1" });
  const services: Record<string, AivenService> = { [primary]: await running(t, primary, true) };
  // redis-server waits 5 s for more replicas before a diskless full sync; tests need none of that.
  await withRedis(services[primary].service_uri!, (c) => c.config("SET", "repl-diskless-sync-delay", "0"));
  for (const name of replicas) {
    await t.client.createService(t.project, {
      service_name: name,
      service_type: "valkey",
      plan: "startup-4",
      cloud: "google-europe-west1",
      service_integrations: [{ integration_type: "read_replica", source_service: primary }],
    });
  }
  for (const name of replicas) {
    services[name] = await running(t, name);
    await until(`${name} to replicate`, async () => ((await info(services[name].service_uri!)).includes("master_link_status:up") ? true : undefined));
  }
  // After a diskless full sync the primary streams only once the replica's first ACK (within a
  // second) arrives: one check with a generous timeout waits for that, and cleans up after itself.
  if (replicas.length > 0) {
    await checkReplication({
      primaryUri: services[primary].service_uri!,
      replicas: replicas.map((name) => ({ name, uri: services[name].service_uri! })),
      timeoutMs: 10_000,
      pollMs: 20,
    });
  }
  return services;
}

export function withRedis<T>(uri: string, fn: (c: import("ioredis").Redis) => Promise<T>): Promise<T> {
  return withRedisClient(uri, fn, 2000);
}

export function info(uri: string): Promise<string> {
  return withRedis(uri, (c) => c.info("replication"));
}

/** Every key under the canary prefix. */
export function canaryKeys(uri: string): Promise<string[]> {
  return withRedis(uri, async (c) => {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await c.scan(cursor, "MATCH", `${CANARY_PREFIX}*`, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return keys;
  });
}

/** Stops an engine the way a crash would, without the emulator knowing. */
export async function shutdownEngine(uri: string): Promise<void> {
  await withRedis(uri, (c) => c.call("SHUTDOWN", "NOSAVE")).catch(() => undefined);
  await until("the engine to stop", async () => (await withRedis(uri, () => Promise.resolve(false)).catch(() => true)) || undefined);
}

/**
 * The failure of a replica whose engine is down. The last error is whatever the machine gave
 * (ECONNREFUSED, or ETIMEDOUT when a loaded machine is slower than the connect timeout).
 */
export function unreachableMessage(replica: string, seconds: number, { whole = true } = {}): RegExp {
  const text = `replica '${replica}' is unreachable: no connection within ${seconds}s \\(last error: [^)]+\\)`;
  return new RegExp(whole ? `^${text}$` : text);
}

export function passwordOf(uri: string): string {
  return decodeURIComponent(new URL(uri).password);
}
