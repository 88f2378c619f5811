import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Redis from "ioredis";
import { closeRedis } from "../provider/replication";
import type { EngineRecord } from "./store";

/** Where a running engine answers. */
export interface EngineAddress {
  host: string;
  port: number;
  pid: number;
}

/** The primary an engine replicates from. */
export interface ReplicationSource {
  host: string;
  port: number;
  password: string;
}

const HOST = "127.0.0.1";
const DIR_PREFIX = "aiven-emulator-";
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

/** True when a `redis-server` executable is on PATH. */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "redis-server");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// Every redis-server started by any emulator in this process, so that one process-level hook can
// kill them when the process exits or is interrupted (a failed test must not leave engines behind).
const liveChildren = new Set<ChildProcess>();
let hooksInstalled = false;

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = (): void => {
    for (const child of liveChildren) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = (): void => {
      killAll();
      // Only re-raise when nobody else (such as the CLI) handles the signal, so its default
      // effect (exit) is kept for library users.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/** Asks the OS for a free loopback port. Another process may take it before we do: callers retry. */
export async function freePort(): Promise<number> {
  const { server, port } = await listenOnFreePort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback listener on a port the OS picked: while it is open, nobody else can take the port. */
function listenOnFreePort(): Promise<{ server: net.Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}

interface Engine {
  key: string;
  password: string;
  child?: ChildProcess;
  address?: EngineAddress;
  ready: Promise<EngineAddress>;
  stopping: boolean;
}

/**
 * Runs one redis-server per service and replicates between them. An engine that does not start
 * within its attempts is dropped (so a later start tries again) and remembered as failed; the
 * control plane then serves that service as metadata only. After `shutdown()` nothing starts.
 */
export class EngineManager {
  private readonly engines = new Map<string, Engine>();
  private readonly failed = new Set<string>();
  /** Ports handed out by reservePort, held by a listener until their engine starts. */
  private readonly reserved = new Map<number, net.Server>();
  private readonly dir: string;
  private closed = false;
  /** Called whenever the set of running engines changes (see records()). */
  onChange: () => void = () => undefined;

  constructor(
    private readonly binary: string,
    private readonly log: (line: string) => void,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
    installProcessHooks();
  }

  /** The running engines, to keep with the state: a restart after a kill reaps them (reapEngines). */
  records(): EngineRecord[] {
    return [...this.engines.values()].flatMap((e) =>
      e.address && e.child?.pid ? [{ pid: e.child.pid, port: e.address.port, dir: this.dir }] : [],
    );
  }

  /**
   * A free loopback port, held until an engine starts on it (or releasePort): a service's port is
   * known from its create on, as on Aiven, while its engine starts in the background.
   */
  async reservePort(): Promise<number> {
    if (this.closed) throw new Error("the emulator is closing");
    const { server, port } = await listenOnFreePort();
    this.reserved.set(port, server);
    return port;
  }

  releasePort(port: number): Promise<void> {
    const server = this.reserved.get(port);
    if (!server) return Promise.resolve();
    this.reserved.delete(port);
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /**
   * Starts an engine for `key` on `port` when given (a reserved port is released just before), on
   * another free port if that one fails; resolves once it answers PING.
   */
  start(key: string, password: string, source?: ReplicationSource, port?: number): Promise<EngineAddress> {
    if (this.closed) {
      const refused = Promise.reject(new Error(`engine ${key} not started: the emulator is closing`));
      refused.catch(() => undefined);
      return refused;
    }
    const existing = this.engines.get(key);
    if (existing && !existing.stopping) return existing.ready;
    this.failed.delete(key);
    const engine: Engine = { key, password, stopping: false, ready: Promise.resolve({ host: HOST, port: 0, pid: 0 }) };
    engine.ready = this.launch(engine, source, port);
    // Failures are reported through hasFailed/log; nobody may be awaiting this promise.
    engine.ready.catch((err: Error) => {
      if (this.engines.get(key) === engine) this.engines.delete(key);
      if (engine.stopping || this.closed) return;
      this.failed.add(key);
      this.log(
        `engine ${key} failed to start after ${START_ATTEMPTS} attempts: ${err.message}; ` +
          "the service goes on as metadata only (power it off and on to try again)",
      );
    });
    this.engines.set(key, engine);
    return engine.ready;
  }

  /** True when the last start of `key` gave up; cleared by the next start or stop. */
  hasFailed(key: string): boolean {
    return this.failed.has(key);
  }

  /** The address of a started and answering engine. */
  address(key: string): EngineAddress | undefined {
    return this.engines.get(key)?.address;
  }

  isReady(key: string): boolean {
    return this.address(key) !== undefined;
  }

  /** Points an engine at a new primary, or makes it a primary (`REPLICAOF NO ONE`) when source is null. */
  async replicate(key: string, source: ReplicationSource | null): Promise<void> {
    const engine = this.engines.get(key);
    if (!engine || engine.stopping) return;
    const address = await engine.ready;
    await withClient(address.port, engine.password, async (client) => {
      if (source) {
        await client.call("CONFIG", "SET", "masterauth", source.password);
        await client.call("REPLICAOF", source.host, String(source.port));
      } else {
        await client.call("REPLICAOF", "NO", "ONE");
      }
    });
  }

  async stop(key: string): Promise<void> {
    this.failed.delete(key);
    const engine = this.engines.get(key);
    if (!engine) return;
    this.engines.delete(key);
    engine.stopping = true;
    // Kill first: a start still waiting for the engine to answer then fails at once.
    const child = engine.child;
    await Promise.all([child ? terminate(child) : undefined, engine.ready.catch(() => undefined)]);
    if (engine.child && engine.child !== child) await terminate(engine.child);
    this.onChange();
  }

  async stopAll(): Promise<void> {
    this.failed.clear();
    await Promise.all([...this.engines.keys()].map((key) => this.stop(key)));
    await Promise.all([...this.reserved.keys()].map((port) => this.releasePort(port)));
  }

  /** Stops every engine and refuses any later start (a request still running after close). */
  async shutdown(): Promise<void> {
    this.closed = true;
    await this.stopAll();
  }

  /** Removes the engines' working directory; call once all engines are stopped. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  pids(): number[] {
    return [...this.engines.values()].flatMap((e) => (e.child?.pid ? [e.child.pid] : []));
  }

  private async launch(engine: Engine, source?: ReplicationSource, preferredPort?: number): Promise<EngineAddress> {
    try {
      let lastError: Error = new Error("not started");
      for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        if (engine.stopping || this.closed) throw new Error("stopped");
        const reserved = attempt === 0 && preferredPort !== undefined;
        if (reserved) await this.releasePort(preferredPort);
        const port = reserved ? preferredPort : await freePort();
        if (engine.stopping || this.closed) throw new Error("stopped");
        try {
          const address = await this.spawnOn(engine, port, source);
          engine.address = address;
          this.onChange();
          return address;
        } catch (err) {
          lastError = err as Error;
          if (engine.child) await terminate(engine.child);
          engine.child = undefined;
        }
      }
      throw lastError;
    } finally {
      // An engine stopped before its first attempt must not keep its port reserved.
      if (preferredPort !== undefined) await this.releasePort(preferredPort);
    }
  }

  private spawnOn(engine: Engine, port: number, source?: ReplicationSource): Promise<EngineAddress> {
    const dir = path.join(this.dir, `${engine.key.replace(/[^a-zA-Z0-9_-]/g, "_")}-${port}`);
    fs.mkdirSync(dir, { recursive: true });
    const args = [
      "--port", String(port),
      "--bind", HOST,
      "--requirepass", engine.password,
      "--save", "",
      "--appendonly", "no",
      // Redis waits 5 s by default before a diskless full sync, hoping more replicas join.
      "--repl-diskless-sync-delay", "0",
      "--dir", dir,
      "--logfile", "",
    ];
    if (source) args.push("--masterauth", source.password, "--replicaof", source.host, String(source.port));
    const child = spawn(this.binary, args, { detached: false, stdio: ["ignore", "pipe", "pipe"] });
    engine.child = child;
    liveChildren.add(child);
    child.once("exit", () => liveChildren.delete(child));

    return new Promise<EngineAddress>((resolve, reject) => {
      let output = "";
      let settled = false;
      const settle = (err: Error | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve({ host: HOST, port, pid: child.pid ?? 0 });
      };
      const timer = setTimeout(() => settle(new Error(`no answer on port ${port} within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        if (settled) return;
        // Keep only the tail: enough to explain a failed start, never the command line (it has the password).
        output = (output + chunk.toString()).slice(-2000);
        if (output.includes("Ready to accept connections")) {
          ping(port, engine.password).then(() => settle(undefined), (err: Error) => settle(err));
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("error", (err) => settle(err));
      child.once("exit", (code, signal) => {
        const lastLine = output.trim().split("\n").pop() ?? "";
        settle(new Error(`redis-server exited (${signal ?? code}) on port ${port}: ${lastLine}`));
      });
    });
  }
}

async function withClient<T>(port: number, password: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: HOST,
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2_000,
    // State changes wait on these commands one at a time: a stuck engine must not hold them forever.
    commandTimeout: 5_000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    // Not disconnect(): on a client whose engine already went away it arms a 2 s timer that
    // keeps the process alive after close.
    closeRedis(client);
  }
}

function ping(port: number, password: string): Promise<void> {
  return withClient(port, password, async (client) => {
    const answer = await client.ping();
    if (answer !== "PONG") throw new Error(`unexpected PING answer ${answer}`);
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Kills the redis-servers of an emulator that was killed before it could stop them (they hold
 * the services' passwords and ports), and removes their working directory. A process is only
 * killed when it still is that redis-server: same pid, named redis-server, on the recorded port.
 */
export function reapEngines(records: EngineRecord[], log: (line: string) => void): void {
  const dirs = new Set<string>();
  for (const record of records) {
    if (isRecordedEngine(record)) {
      try {
        process.kill(record.pid, "SIGKILL");
        log(`killed redis-server ${record.pid} on port ${record.port}, left running by an earlier emulator`);
      } catch {
        // gone meanwhile
      }
    }
    dirs.add(record.dir);
  }
  for (const dir of dirs) {
    // Only ever an engines directory of ours: a state file must not name any other directory.
    if (path.dirname(dir) === os.tmpdir() && path.basename(dir).startsWith(DIR_PREFIX)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function isRecordedEngine(record: EngineRecord): boolean {
  try {
    const comm = fs.readFileSync(`/proc/${record.pid}/comm`, "utf8").trim();
    const cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, "utf8").replace(/\0/g, " ");
    return comm === "redis-server" && cmdline.includes(`:${record.port}`);
  } catch {
    return false;
  }
}
