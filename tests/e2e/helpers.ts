import axios, { AxiosInstance } from "axios";
import * as path from "path";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import { loadProgram, Program, runProgram, RunOptions, RunResult } from "../../harness";
import { keepAliveAgents } from "../../provider/keepAliveAgents";
import { sourcesOf } from "../../provider/readReplicaLinks";
import { withRedis } from "../../provider/replication";

export const TOKEN = "e2e-token";
export const PROJECT = "e2e-project";
/**
 * Millisecond retry waits for the harness's own Aiven client (the service calls); the providers run
 * in Pulumi's host with their defaults. The per-request timeout only guards against a hang: on a
 * loaded 2-core CI machine a request can take seconds.
 */
export const FAST_RETRIES = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 6, timeoutMs: 60_000 };

export function example(name: string): Program {
  return loadProgram(path.join(__dirname, "../../examples", name, "index.ts"));
}

export interface ServiceJson {
  service_name: string;
  service_type: string;
  state: string;
  plan: string;
  cloud_name: string;
  service_uri: string;
  service_integrations: Array<{ integration_type: string; source_service: string; dest_service: string; service_integration_id: string }>;
}

export interface E2E {
  emulator: Emulator;
  api: AxiosInstance;
  admin: AxiosInstance;
  logs: string[];
  /** One deployment, with this run's config on top of the project and fast polls. */
  deploy(program: Program, config?: Record<string, string>, extra?: Partial<RunOptions>): Promise<RunResult>;
  services(): Promise<ServiceJson[]>;
  service(name: string): Promise<ServiceJson>;
  /** `METHOD path` of every API request so far (admin requests left out). */
  requests(): Promise<string[]>;
  clearRequests(): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(options: EmulatorOptions = {}): Promise<E2E> {
  const emulator = await startEmulator({ buildMs: 40, backupMs: 40, promoteMs: 40, engines: "none", token: TOKEN, ...options });
  const common = { baseURL: emulator.url, timeout: 60_000, ...keepAliveAgents() };
  const api = axios.create({ ...common, headers: { Authorization: `aivenv1 ${TOKEN}` } });
  const admin = axios.create(common);
  const logs: string[] = [];
  return {
    emulator,
    api,
    admin,
    logs,
    deploy: (program, config = {}, extra = {}) =>
      runProgram(program, {
        emulatorUrl: emulator.url,
        token: TOKEN,
        config: { aivenProject: PROJECT, apiUrl: emulator.url, pollSeconds: "0.02", timeoutSeconds: "10", ...config },
        log: (line) => logs.push(line),
        servicePollMs: 20,
        clientTuning: FAST_RETRIES,
        ...extra,
      }),
    async services() {
      const res = await api.get<{ services: ServiceJson[] }>(`/v1/project/${PROJECT}/service`);
      return res.data.services.sort((a, b) => a.service_name.localeCompare(b.service_name));
    },
    async service(name) {
      return (await api.get<{ service: ServiceJson }>(`/v1/project/${PROJECT}/service/${name}`)).data.service;
    },
    async requests() {
      const res = await admin.get<{ requests: Array<{ method: string; path: string }> }>("/_emulator/requests");
      return res.data.requests.filter((r) => !r.path.startsWith("/_emulator")).map((r) => `${r.method} ${r.path}`);
    },
    async clearRequests() {
      await admin.delete("/_emulator/requests");
    },
    close: () => emulator.close(),
  };
}

/** `service <- source` for every read_replica link, as seen on the destination service. */
export function links(services: ServiceJson[]): string[] {
  return services.flatMap((s) => sourcesOf(s).map((source) => `${s.service_name} <- ${source}`));
}

export function summary(services: ServiceJson[]): string[] {
  return services.map((s) => `${s.service_name} ${s.service_type} ${s.plan} ${s.cloud_name} ${s.state}`);
}

export function actions(run: RunResult): string[] {
  return run.resources.filter((r) => r.custom).map((r) => `${r.action} ${r.name}`);
}

/** Mutating API requests: what a no-op run must not send. */
export function writes(requests: string[]): string[] {
  return requests.filter((r) => !r.startsWith("GET "));
}

/** Polls a replica until it returns `value` for `key`. */
export async function readBack(uri: string, key: string, value: string, timeoutMs = 30_000): Promise<string | null> {
  return withRedis(uri, async (client) => {
    const deadline = Date.now() + timeoutMs;
    let seen = await client.get(key);
    while (seen !== value && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await client.get(key);
    }
    return seen;
  });
}
