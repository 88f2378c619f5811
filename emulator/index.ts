import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { adminRoutes } from "./admin";
import { Cloud, CloudTimings } from "./cloud";
import { EngineManager, findRedisServer, reapEngines } from "./engines";
import { FaultTable, RequestLog } from "./faults";
import { createHandlers } from "./handlers";
import { PersistentStore } from "./persistentStore";
import { apiRoutes, RouteTable } from "./routes";
import { createRequestListener } from "./server";
import { MemoryStore, StateStore } from "./store";

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** The only API token accepted; default: any non-empty token. */
  token?: string;
  /** The only projects that exist (others answer 404); default: any project name. */
  projects?: string[];
  /** REBUILDING → RUNNING delay after create or power-on, in ms; default 200. */
  buildMs?: number;
  /** Delay from RUNNING to a primary's first backup, in ms; default 200. */
  backupMs?: number;
  /** REBUILDING → RUNNING delay of a promoted replica, in ms; default 100. */
  promoteMs?: number;
  /** "auto" (default): a redis-server per service when one is on PATH; "none": metadata only. */
  engines?: "auto" | "none";
  /** JSON file that keeps the state across restarts; default: memory only. */
  stateFile?: string;
  /** true: one line per request on stderr; a function receives the lines; default silent. */
  log?: boolean | ((line: string) => void);
}

export interface Emulator {
  /** Base URL to use as AIVEN_WEB_URL, e.g. http://127.0.0.1:41234 (no /v1). */
  url: string;
  host: string;
  port: number;
  token: string | undefined;
  /** True when every service runs a real redis-server. */
  enginesEnabled: boolean;
  stateFile: string | undefined;
  /** PIDs of the redis-server processes currently running. */
  enginePids(): number[];
  /** Stops the server and every engine; safe to call more than once. */
  close(): Promise<void>;
}

export const DEFAULT_TIMINGS: Readonly<CloudTimings> = { buildMs: 200, backupMs: 200, promoteMs: 100 };

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const timings: CloudTimings = {
    buildMs: nonNegative("buildMs", options.buildMs ?? DEFAULT_TIMINGS.buildMs),
    backupMs: nonNegative("backupMs", options.backupMs ?? DEFAULT_TIMINGS.backupMs),
    promoteMs: nonNegative("promoteMs", options.promoteMs ?? DEFAULT_TIMINGS.promoteMs),
  };
  if (options.token !== undefined && options.token.trim() === "") throw new Error("token must not be empty");
  const log = toLogger(options.log);

  // The store first: a bad state file fails the start before anything else is created.
  const store: StateStore = options.stateFile ? new PersistentStore(options.stateFile) : new MemoryStore();
  reapEngines(store.engines(), log);
  if (store.engines().length > 0) store.setEngines([]);
  const binary = options.engines === "none" ? undefined : findRedisServer();
  if (options.engines !== "none" && !binary) log("redis-server not found on PATH: services are metadata only");
  const engines = binary ? new EngineManager(binary, log) : undefined;
  if (engines) {
    engines.onChange = () => {
      try {
        store.setEngines(engines.records());
      } catch (err) {
        log(`could not record the running engines: ${(err as Error).message}`);
      }
    };
  }
  const cloud = new Cloud(store, timings, engines, log);
  const faults = new FaultTable();
  const requests = new RequestLog();

  let closeStarted = false;
  const server = http.createServer(
    createRequestListener({
      api: new RouteTable(apiRoutes(createHandlers(cloud, { projects: options.projects }))),
      admin: new RouteTable(adminRoutes(cloud, faults, requests)),
      faults,
      requests,
      token: options.token,
      projects: options.projects ? new Set(options.projects) : undefined,
      log,
      isClosing: () => closeStarted,
    }),
  );
  // Node's clients keep idle sockets for 5 s, as long as a Node server keeps them by default: a
  // request sent just as the server drops its side fails (ECONNRESET, or no answer at all), more
  // often on a loaded machine. Keeping them longer leaves the closing to the client, as Aiven's
  // load balancers do.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closeStarted = true;
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engines?.shutdown();
      engines?.dispose();
    })();
    return closing;
  };

  try {
    await cloud.restoreEngines();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await engines?.shutdown();
    engines?.dispose();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    token: options.token,
    enginesEnabled: engines !== undefined,
    stateFile: options.stateFile,
    enginePids: () => engines?.pids() ?? [],
    close,
  };
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got ${value}`);
  return value;
}

function toLogger(option: EmulatorOptions["log"]): (line: string) => void {
  if (typeof option === "function") return option;
  if (option === true) return (line) => process.stderr.write(`[aiven-emulator] ${line}\n`);
  return () => undefined;
}
