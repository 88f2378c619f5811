import axios, { AxiosInstance, AxiosResponse } from "axios";
import { info } from "../replication/topology";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import { keepAliveAgents } from "../../provider/keepAliveAgents";

export const FAST = { buildMs: 20, backupMs: 20, promoteMs: 60 } as const;

export interface TestEmulator {
  emulator: Emulator;
  /** A client with `Authorization: aivenv1 <token>` that never throws on a status. */
  api: AxiosInstance;
  /** A client without auth for the admin endpoints. */
  admin: AxiosInstance;
}

export async function start(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ engines: "none", ...FAST, ...options });
  // Guards against a hang only: on a busy machine a request can wait seconds for a core.
  const common = { baseURL: emulator.url, validateStatus: () => true, timeout: 30_000, ...keepAliveAgents() };
  return {
    emulator,
    api: axios.create({ ...common, headers: { Authorization: `aivenv1 ${options.token ?? "test-token"}` } }),
    admin: axios.create(common),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value other than undefined, or fails with the last value seen. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

export interface ServiceJson {
  service_name: string;
  service_type: string;
  plan: string;
  cloud_name: string;
  state: string;
  termination_protection: boolean;
  backups: { backup_name: string; backup_time: string; data_size: number }[];
  service_integrations: IntegrationJson[];
  service_uri: string;
  service_uri_params: { host: string; port: string; user: string; password: string };
  components: { component: string; host: string; port: number; route: string; usage: string; ssl: boolean }[];
}

export interface IntegrationJson {
  service_integration_id: string;
  integration_type: string;
  source_service: string;
  dest_service: string;
  source_project: string;
  dest_project: string;
  active: boolean;
  enabled: boolean;
}

export async function getService(api: AxiosInstance, project: string, name: string): Promise<ServiceJson> {
  const res = await api.get(`/v1/project/${project}/service/${name}`);
  if (res.status !== 200) throw new Error(`GET ${name}: ${res.status} ${JSON.stringify(res.data)}`);
  return (res.data as { service: ServiceJson }).service;
}

export function createService(
  api: AxiosInstance,
  project: string,
  body: Record<string, unknown>,
): Promise<AxiosResponse> {
  return api.post(`/v1/project/${project}/service`, { cloud: "google-europe-west1", service_type: "valkey", ...body });
}

/** Creates a primary and waits until it is RUNNING with a backup, as replicas require. */
export async function primaryWithBackup(api: AxiosInstance, project: string, name: string, type = "valkey"): Promise<ServiceJson> {
  const res = await createService(api, project, { service_name: name, plan: "business-4", service_type: type });
  if (res.status !== 200) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.data)}`);
  return waitFor(`${name} to have a backup`, async () => {
    const s = await getService(api, project, name);
    return s.state === "RUNNING" && s.backups.length > 0 ? s : undefined;
  });
}

/** The seeds' replica creation call (with the docs' `source_service_name`). */
export function createReplica(
  api: AxiosInstance,
  project: string,
  name: string,
  source: string,
  extra: Record<string, unknown> = {},
): Promise<AxiosResponse> {
  return createService(api, project, {
    service_name: name,
    plan: "startup-4",
    project,
    service_integrations: [{ integration_type: "read_replica", source_service_name: source }],
    ...extra,
  });
}

export function aivenError(status: number, message: string, errorCode?: string): unknown {
  return { message, errors: [errorCode ? { message, status, error_code: errorCode } : { message, status }] };
}

/** The replication role ("master" or "slave") of the engine behind a service URI. */
export async function engineRole(uri: string): Promise<string> {
  return /role:(\w+)/.exec(await info(uri))?.[1] ?? "unknown";
}
