// The canary check shared by the ReplicationCheck provider and the CLI's `verify`.
// Self-contained: the provider's closure (this code included) is serialized into Pulumi state,
// so modules are loaded inside the functions and nothing secret is kept at module level.
import type { Redis, RedisOptions } from "ioredis";
import { waitFor } from "./waitFor";

/** Every canary key starts with this; nothing else is ever written, read or deleted. */
export const CANARY_PREFIX = "__aiven_read_replicas:canary:";
/** The canary outlives the wait by this much, so an interrupted check leaves it only briefly. */
export const CANARY_TTL_MARGIN_MS = 30_000;
export const MIN_CANARY_TTL_MS = 60_000;

export interface ReplicationTarget {
  name: string;
  /** Secret: `redis://` or `rediss://` (TLS) with the service credentials. */
  uri: string;
}

export interface CheckReplicationOptions {
  /** Secret: the primary's service URI. */
  primaryUri: string;
  replicas: ReplicationTarget[];
  /** How long each replica has to return the canary, from the write's acknowledgement. */
  timeoutMs: number;
  /** Delay between two reads of a replica. */
  pollMs: number;
  /** Per connection attempt; default min(10000, timeoutMs). */
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface ReplicationReport {
  /** The canary written (already deleted), or undefined when there was no replica to check. */
  canaryKey?: string;
  /** Milliseconds from the write's acknowledgement until each replica returned the canary. */
  lagMs: Record<string, number>;
}

export interface ReplicaFailure {
  replica: string;
  message: string;
}

/** Thrown when a replica fails the check; carries the lags of the replicas that passed. */
export interface ReplicationCheckFailure extends Error {
  failures: ReplicaFailure[];
  lagMs: Record<string, number>;
}

export function isReplicationCheckFailure(e: unknown): e is ReplicationCheckFailure {
  return typeof e === "object" && e !== null && Array.isArray((e as Partial<ReplicationCheckFailure>).failures);
}

/**
 * Writes a canary with a unique value and a TTL to the primary, waits until every replica
 * returns it, then deletes it (also on failure). Error messages name the service and never
 * hold a URI or password.
 */
export async function checkReplication(options: CheckReplicationOptions): Promise<ReplicationReport> {
  const log = options.log ?? (() => undefined);
  if (options.replicas.length === 0) {
    log("no replicas to verify: every replica of the set is promoted");
    return { lagMs: {} };
  }
  const secrets = [options.primaryUri, ...options.replicas.map((r) => r.uri)];
  const clean = (e: unknown): string => redactSecrets(errorText(e), secrets);
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(10_000, options.timeoutMs);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomUUID } = require("crypto") as typeof import("crypto");
  const key = CANARY_PREFIX + randomUUID();
  const value = randomUUID();
  const ttlMs = Math.max(MIN_CANARY_TTL_MS, options.timeoutMs + CANARY_TTL_MARGIN_MS);

  let primary: Redis;
  try {
    primary = await connectRedis(options.primaryUri, connectTimeoutMs);
  } catch (e) {
    throw new Error(`cannot reach the primary to write the replication canary: ${clean(e)}`);
  }
  try {
    try {
      await primary.set(key, value, "PX", ttlMs);
    } catch (e) {
      throw new Error(`cannot write the replication canary to the primary: ${clean(e)}`);
    }
    const writtenAt = Date.now();
    const names = options.replicas.map((r) => `'${r.name}'`).join(", ");
    log(`wrote canary ${key} to the primary; waiting for ${names} to return it`);
    const wait: CanaryWait = {
      key, value, writtenAt, deadline: writtenAt + options.timeoutMs,
      timeoutMs: options.timeoutMs, pollMs: options.pollMs, connectTimeoutMs, clean, log,
    };
    const results = await Promise.allSettled(options.replicas.map((r) => waitForCanary(r, wait)));

    const lagMs: Record<string, number> = {};
    const failures: ReplicaFailure[] = [];
    results.forEach((result, i) => {
      const replica = options.replicas[i].name;
      if (result.status === "fulfilled") lagMs[replica] = result.value;
      else failures.push({ replica, message: clean(result.reason) });
    });
    if (failures.length > 0) {
      const error = new Error(failures.map((f) => f.message).join("\n")) as ReplicationCheckFailure;
      error.failures = failures;
      error.lagMs = lagMs;
      throw error;
    }
    return { canaryKey: key, lagMs };
  } finally {
    try {
      await primary.del(key);
    } catch (e) {
      log(`could not delete canary ${key} from the primary (${clean(e)}); it expires within ${ttlMs / 1000}s`);
    }
    closeRedis(primary);
  }
}

interface CanaryWait {
  key: string;
  value: string;
  writtenAt: number;
  deadline: number;
  timeoutMs: number;
  pollMs: number;
  connectTimeoutMs: number;
  clean: (e: unknown) => string;
  log: (message: string) => void;
}

/** Resolves with the lag; rejects, naming the replica, at the deadline or on a refused command. */
async function waitForCanary(target: ReplicationTarget, w: CanaryWait): Promise<number> {
  const within = `${Number((w.timeoutMs / 1000).toFixed(3))}s`;
  let client: Redis | undefined;
  let connected = false;
  let lastSeen: string | null = null;
  let lastError: string | undefined;
  // One read of the canary; `undefined` when the replica did not answer (it may be restarting or
  // still resolving in DNS): the wait goes on until the deadline.
  const read = async (): Promise<string | null | undefined> => {
    try {
      client ??= await connectRedis(target.uri, Math.max(1, Math.min(w.connectTimeoutMs, w.deadline - Date.now())));
      connected = true;
      lastSeen = await client.get(w.key);
      lastError = undefined;
      return lastSeen;
    } catch (e) {
      // Redis refused the command itself (wrong password, ACL): waiting will not help.
      if ((e as { name?: unknown } | undefined)?.name === "ReplyError") throw new Error(`replica '${target.name}' refused the check: ${w.clean(e)}`);
      lastError = w.clean(e);
      closeRedis(client);
      client = undefined;
      return undefined;
    }
  };
  try {
    await waitFor<string | null | undefined>({
      what: `replica '${target.name}' to return the canary`,
      deadline: w.deadline,
      timeoutSeconds: w.timeoutMs / 1000,
      pollMs: w.pollMs,
      poll: read,
      done: (seen) => seen === w.value,
      describe: (seen) => (seen === undefined ? "no answer" : seen === null ? "no value yet" : "another value"),
      // Replication normally takes milliseconds: only a wait of 10 s or more is worth a line.
      log: (line) => (Date.now() - w.writtenAt >= 10_000 ? w.log(line) : undefined),
    });
  } catch (e) {
    // Duck-typed: the provider host runs a serialized copy of the class.
    if ((e as { name?: unknown } | undefined)?.name !== "WaitTimeoutError") throw e;
    if (!connected) throw new Error(`replica '${target.name}' is unreachable: no connection within ${within} (last error: ${lastError})`);
    const seen = lastSeen === null ? "none" : `'${lastSeen}' (not the canary)`;
    const error = lastError ? `; last error: ${lastError}` : "";
    throw new Error(`replica '${target.name}' did not return the canary within ${within} (last value seen: ${seen}${error})`);
  } finally {
    closeRedis(client);
  }
  const lag = Math.max(0, Date.now() - w.writtenAt);
  w.log(`replica '${target.name}' returned the canary after ${lag} ms`);
  return lag;
}

/** A connected client that never reconnects or queues on its own: the callers decide about retries. */
export async function connectRedis(uri: string, connectTimeoutMs: number): Promise<Redis> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RedisClass = require("ioredis") as typeof import("ioredis").default;
  const options: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    disconnectTimeout: 500,
    connectTimeout: connectTimeoutMs,
    commandTimeout: Math.max(connectTimeoutMs, 1000),
    ...(uri.startsWith("rediss://") ? { tls: {} } : {}),
  };
  const client = new RedisClass(uri, options);
  // Without a listener ioredis prints errors; connect() itself rejects only with "Connection is
  // closed.", so the cause (ECONNREFUSED, WRONGPASS) comes from the last error event.
  let cause: unknown;
  client.on("error", (e: unknown) => (cause = e));
  try {
    await client.connect();
    return client;
  } catch (e) {
    closeRedis(client);
    throw cause ?? e;
  }
}

/** Runs `use` with a connected client (see connectRedis) and closes it afterwards, whatever happens. */
export async function withRedis<T>(uri: string, use: (client: Redis) => Promise<T>, connectTimeoutMs = 5_000): Promise<T> {
  const client = await connectRedis(uri, connectTimeoutMs);
  try {
    return await use(client);
  } finally {
    closeRedis(client);
  }
}

/** Disconnects unless already ended: disconnect() on an ended client arms a timer (disconnectTimeout) that keeps Node alive. */
export function closeRedis(client: Redis | undefined): void {
  if (client && client.status !== "end") client.disconnect();
}

// Duck-typed: errors from Node's core modules fail `instanceof Error` across realms (jest, the provider host).
function errorText(e: unknown): string {
  const { message, code } = (e ?? {}) as { message?: unknown; code?: unknown };
  if (typeof message !== "string") return String(e);
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Removes the given URIs, their passwords and any `scheme://user:pass@` from a message. */
export function redactSecrets(text: string, uris: string[]): string {
  let out = text;
  for (const uri of uris) {
    if (!uri) continue;
    const secrets = [uri];
    try {
      const password = new URL(uri).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // not a URL: the whole string is still removed
    }
    for (const secret of secrets) out = out.split(secret).join("***");
  }
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, "$1***@");
}
