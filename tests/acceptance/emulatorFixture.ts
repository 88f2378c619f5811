// A fresh emulator with real redis-server engines, what the acceptance tests ask of it, and the
// pairing of one with an engine context that every acceptance describe block sets up.
import type { InlineProgramArgs } from "@pulumi/pulumi/automation";
import axios, { AxiosInstance } from "axios";
import { randomUUID } from "crypto";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import type { FaultSpec } from "../../emulator/faults";
import { keepAliveAgents } from "../../provider/keepAliveAgents";
import { incomingLinks } from "../../provider/readReplicaLinks";
import { EngineContext, engineContext, EngineStack } from "./engine";

export const PROJECT = "acceptance";

export interface IntegrationView {
  service_integration_id: string;
  integration_type: string;
  source_service: string;
  dest_service: string;
}

export interface ServiceView {
  service_name: string;
  service_type: string;
  state: string;
  plan: string;
  service_uri: string;
  service_uri_params: { password: string };
  backups: unknown[];
  service_integrations: IntegrationView[];
}

export interface Fixture {
  emulator: Emulator;
  token: string;
  api: AxiosInstance;
  admin: AxiosInstance;
  services(): Promise<ServiceView[]>;
  service(name: string): Promise<ServiceView>;
  /** The service's URI (with its password), as Aiven's API gives it. */
  uri(name: string): Promise<string>;
  /** The read_replica integration that feeds `replica`; throws when it has none. */
  readReplicaLink(replica: string): Promise<IntegrationView>;
  /** Every read_replica link as `dest <- source`, sorted. */
  links(): Promise<string[]>;
  /** Creates a primary (with a backup) and read replicas of it through the API, as Aiven's console would. */
  primaryWithReplicas(primary: string, replicas: string[], type?: "valkey" | "redis"): Promise<void>;
  /** Deletes a replica's read_replica integration through the API: a promotion Pulumi did not make. */
  promoteOutOfBand(replica: string): Promise<string>;
  fault(fault: Partial<FaultSpec> & { method: string; path: string }): Promise<void>;
  /** `METHOD path status` of every API request so far (admin requests left out). */
  requests(): Promise<Array<{ method: string; path: string; status: number }>>;
  /** Every password and URI the emulator holds: none may appear in plain text in state or logs. */
  secrets(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startFixture(options: EmulatorOptions = {}): Promise<Fixture> {
  const token = `acceptance-token-${randomUUID()}`;
  const emulator = await startEmulator({ buildMs: 150, backupMs: 150, promoteMs: 150, token, projects: [PROJECT], ...options });
  const common = { baseURL: emulator.url, timeout: 10_000, ...keepAliveAgents() };
  const api = axios.create({ ...common, baseURL: `${emulator.url}/v1/project/${PROJECT}`, headers: { Authorization: `aivenv1 ${token}` } });
  const admin = axios.create(common);
  const service = async (name: string) => (await api.get<{ service: ServiceView }>(`/service/${name}`)).data.service;
  const services = async () => (await api.get<{ services: ServiceView[] }>("/service")).data.services.sort((a, b) => a.service_name.localeCompare(b.service_name));
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const readReplicaLink = async (replica: string) => {
    const [link] = incomingLinks((await service(replica)).service_integrations, replica);
    if (!link) throw new Error(`${replica} has no read_replica integration`);
    return link;
  };
  return {
    emulator,
    token,
    api,
    admin,
    service,
    services,
    uri: async (name) => (await service(name)).service_uri,
    readReplicaLink,
    async links() {
      const all = (await services()).flatMap((s) => incomingLinks(s.service_integrations, s.service_name));
      return all.map((i) => `${i.dest_service} <- ${i.source_service}`).sort();
    },
    async primaryWithReplicas(primary, replicas, type = "valkey") {
      await api.post("/service", { service_name: primary, service_type: type, plan: "business-4", cloud: "google-europe-west1" });
      await until(`${primary} RUNNING with a backup`, async () => {
        const s = await service(primary);
        return s.state === "RUNNING" && s.backups.length > 0;
      });
      for (const name of replicas) {
        await api.post("/service", {
          service_name: name,
          service_type: type,
          plan: "startup-4",
          cloud: "google-europe-west1",
          service_integrations: [{ integration_type: "read_replica", source_service: primary }],
        });
      }
      await until("the replicas RUNNING", async () => (await Promise.all(replicas.map(service))).every((s) => s.state === "RUNNING"));
    },
    async promoteOutOfBand(replica) {
      const link = await readReplicaLink(replica);
      await api.delete(`/integration/${link.service_integration_id}`);
      await until(`${replica} RUNNING standalone`, async () => (await service(replica)).state === "RUNNING");
      return link.service_integration_id;
    },
    async fault(fault) {
      await admin.post("/_emulator/faults", fault);
    },
    async requests() {
      const res = await admin.get<{ requests: Array<{ method: string; path: string; status: number }> }>("/_emulator/requests");
      return res.data.requests.filter((r) => !r.path.startsWith("/_emulator"));
    },
    async secrets() {
      const all = await services();
      return [token, ...all.flatMap((s) => [s.service_uri, s.service_uri_params.password])].filter((s) => s && s.length >= 8);
    },
    close: () => emulator.close(),
  };
}

export interface EngineFixture {
  readonly aiven: Fixture;
  readonly ctx: EngineContext;
  /**
   * A stack of an inline program on this fixture's backend (stack `dev` unless named), with the
   * emulator's token as the secret config `aiven:apiToken` unless `token: false`.
   */
  stack(args: Omit<InlineProgramArgs, "stackName"> & { stackName?: string }, settings?: StackSettings): Promise<EngineStack>;
}

export interface StackSettings {
  config?: Record<string, string>;
  /** A work dir of its own (`ctx.newWorkDir()`), for a second project or stack on the backend. */
  workDir?: string;
  token?: boolean;
}

export interface EngineFixtureOptions {
  emulator?: EmulatorOptions;
  /** Made through the API before the first test, with its `replicas`, as Aiven's console would. */
  primary?: string;
  replicas?: string[];
  /** More environment for the CLI and its plugins. */
  env?: (aiven: Fixture) => Record<string, string>;
  /** Points this process's AIVEN_WEB_URL at the emulator too: an inline program runs in this process. */
  programSeesEmulator?: boolean;
}

/**
 * For the describe block it is called in: a fresh emulator and an engine context on it before the
 * first test, both gone after the last. Read `aiven` and `ctx` inside hooks and tests only.
 */
export function useEngineFixture(options: EngineFixtureOptions = {}): EngineFixture {
  let aiven: Fixture | undefined;
  let ctx: EngineContext | undefined;
  const savedUrl = process.env.AIVEN_WEB_URL;
  beforeAll(async () => {
    aiven = await startFixture(options.emulator);
    if (options.primary) await aiven.primaryWithReplicas(options.primary, options.replicas ?? []);
    ctx = engineContext(aiven.emulator.url, options.env?.(aiven));
    if (options.programSeesEmulator) process.env.AIVEN_WEB_URL = aiven.emulator.url;
  });
  afterAll(async () => {
    if (options.programSeesEmulator) {
      if (savedUrl === undefined) delete process.env.AIVEN_WEB_URL;
      else process.env.AIVEN_WEB_URL = savedUrl;
    }
    await aiven?.close();
    ctx?.cleanup();
  });
  const started = () => {
    if (!aiven || !ctx) throw new Error("the engine fixture is not started: use it inside a hook or a test");
    return { aiven, ctx };
  };
  return {
    get aiven() {
      return started().aiven;
    },
    get ctx() {
      return started().ctx;
    },
    stack({ stackName = "dev", ...args }, { config, workDir, token = true } = {}) {
      const { aiven, ctx } = started();
      return EngineStack.create(ctx, { ...args, stackName }, { config, workDir, secrets: token ? { "aiven:apiToken": aiven.token } : {} });
    },
  };
}

/** How many times `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}
