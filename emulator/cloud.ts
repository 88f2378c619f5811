import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { defaultDiskSpaceMb, defaultMaintenance, isMaintenanceDay, isServiceType } from "./catalog";
import type { EngineManager, ReplicationSource } from "./engines";
import { AivenError, badRequest, conflict, forbidden, integrationNotFound, notFound, serviceNotFound } from "./errors";
import type { StateStore } from "./store";
import type {
  Backup,
  IntegrationRecord,
  ServiceEndpoint,
  ServiceRecord,
  ServiceState,
  ServiceType,
  ServiceView,
} from "./types";

export const READ_REPLICA = "read_replica";
export const MAX_READ_REPLICAS = 5;
export const DEFAULT_CLOUD = "google-europe-west1";
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const PROTECTED_MESSAGE = "Service is protected against termination and shutdown. Remove termination protection first.";

export interface CloudTimings {
  /** REBUILDING → RUNNING after create or power-on; REBALANCING → RUNNING after a plan or cloud change. */
  buildMs: number;
  /** First backup of a primary, counted from the moment it is RUNNING. */
  backupMs: number;
  /** REBUILDING → RUNNING of a promoted replica. */
  promoteMs: number;
}

export interface CreateServiceInput {
  service_name: string;
  service_type: string;
  plan: string;
  cloud?: string;
  termination_protection?: boolean;
  user_config?: Record<string, unknown>;
  service_integrations: { integration_type: string; source_service?: string }[];
  tags?: Record<string, string>;
  tech_emails?: string[];
  maintenance?: { dow?: string; time?: string };
  disk_space_mb?: number;
  project_vpc_id?: string;
  static_ips?: string[];
}

export interface UpdateServiceInput {
  plan?: string;
  cloud?: string;
  termination_protection?: boolean;
  powered?: boolean;
  user_config?: Record<string, unknown>;
  tech_emails?: string[];
  maintenance?: { dow?: string; time?: string };
  disk_space_mb?: number;
  project_vpc_id?: string;
}

export interface CreateIntegrationInput {
  integration_type: string;
  source_service: string;
  dest_service: string;
  source_project?: string;
  dest_project?: string;
  description?: string;
  user_config?: Record<string, unknown>;
}

/**
 * The control plane: Aiven's rules for services, replicas and integrations. States are derived
 * from stored deadlines whenever a service is read, so nothing here needs a timer and a restart
 * resumes every transition where it was.
 *
 * Every change is checked and written in one synchronous step, with no await between its checks
 * and its store writes, so no concurrent request can act in between (a replica created while its
 * primary is deleted, two deletes of one service, protection set during a delete). The engine
 * work a change implies is started inside that step, in order, and awaited after it.
 */
export class Cloud {
  constructor(
    private readonly store: StateStore,
    private readonly timings: CloudTimings,
    private readonly engines: EngineManager | undefined,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  listServices(project: string): ServiceView[] {
    return this.store.listServices(project).map((s) => this.view(s));
  }

  getService(project: string, name: string): ServiceView {
    return this.view(this.requireService(project, name));
  }

  /** Host and port are final in the answer, as Aiven allocates them at create: the port is reserved first. */
  async createService(project: string, input: CreateServiceInput): Promise<ServiceView> {
    const port = this.engines ? await this.reservePort(this.engines) : randomInt(10_000, 30_000);
    try {
      return this.createServiceNow(project, input, port);
    } catch (err) {
      void this.engines?.releasePort(port);
      throw err;
    }
  }

  async updateService(project: string, name: string, input: UpdateServiceInput): Promise<ServiceView> {
    const { view, engineWork } = this.updateServiceNow(project, name, input);
    await engineWork;
    return view;
  }

  /**
   * Deleting a primary that still has read replicas promotes them first, as a failed primary
   * does: the replicas keep their data and become standalone services.
   */
  async deleteService(project: string, name: string): Promise<void> {
    const service = this.requireService(project, name);
    if (service.termination_protection) throw forbidden(PROTECTED_MESSAGE);
    const engineWork = this.store.batch(() => {
      const promotions = this.promoteReplicasOf(service);
      for (const integration of this.integrationsOf(project, name)) {
        this.store.deleteIntegration(project, integration.service_integration_id);
      }
      this.store.deleteService(project, name);
      return [...promotions, this.engines?.stop(engineKey(service))];
    });
    await Promise.all(engineWork);
  }

  listServiceIntegrations(project: string, name: string): IntegrationRecord[] {
    this.requireService(project, name);
    return this.integrationsOf(project, name);
  }

  listBackups(project: string, name: string): Backup[] {
    return this.getService(project, name).backups;
  }

  getTags(project: string, name: string): Record<string, string> {
    return this.requireService(project, name).tags;
  }

  replaceTags(project: string, name: string, tags: Record<string, string>): void {
    const service = this.requireService(project, name);
    service.tags = { ...tags };
    service.update_time = iso(this.now());
    this.store.putService(service);
  }

  /** The projects that have services, or the configured ones when the emulator has a fixed list. */
  listProjects(configured?: readonly string[]): string[] {
    if (configured) return [...configured];
    return [...new Set(this.store.allServices().map((s) => s.project))].sort();
  }

  createIntegration(project: string, input: CreateIntegrationInput): IntegrationRecord {
    if (input.integration_type === READ_REPLICA) {
      throw badRequest(
        "Read replica integrations can only be created together with the replica service (service_integrations in POST /service)",
      );
    }
    for (const [field, value] of [["source_project", input.source_project], ["dest_project", input.dest_project]] as const) {
      if (value !== undefined && value !== project) throw badRequest(`${field} must be '${project}' in this emulator`);
    }
    this.requireService(project, input.source_service);
    this.requireService(project, input.dest_service);
    const integration = this.newIntegration(project, input.integration_type, input.source_service, input.dest_service);
    integration.description = input.description ?? integration.description;
    integration.user_config = input.user_config ?? {};
    this.store.putIntegration(integration);
    return integration;
  }

  getIntegration(project: string, id: string): IntegrationRecord {
    const integration = this.store.getIntegration(project, id);
    if (!integration) throw integrationNotFound();
    return integration;
  }

  /** Aiven's PUT integration replaces its user_config. */
  updateIntegration(project: string, id: string, userConfig: Record<string, unknown>): IntegrationRecord {
    const integration = this.getIntegration(project, id);
    integration.user_config = { ...userConfig };
    this.store.putIntegration(integration);
    return integration;
  }

  /** Deleting a read_replica integration is how Aiven promotes the replica. */
  async deleteIntegration(project: string, id: string): Promise<void> {
    const integration = this.getIntegration(project, id);
    if (integration.integration_type === READ_REPLICA) {
      await this.promote(integration);
    } else {
      this.store.deleteIntegration(project, id);
    }
  }

  /** A primary failure: the service powers off, its engine stops, its replicas are promoted. */
  async failService(project: string, name: string): Promise<ServiceView> {
    const service = this.requireService(project, name);
    service.powered = false;
    service.transition = null;
    service.update_time = iso(this.now());
    const engineWork = this.store.batch(() => {
      this.store.putService(service);
      return [this.engines?.stop(engineKey(service)), ...this.promoteReplicasOf(service)];
    });
    const view = this.view(service);
    await Promise.all(engineWork);
    this.log(`service ${project}/${name} failed`);
    return view;
  }

  async reset(): Promise<void> {
    this.store.clear();
    await this.engines?.stopAll();
  }

  /** Starts engines for a loaded state: primaries first, so replicas can link to them. */
  async restoreEngines(): Promise<void> {
    if (!this.engines) return;
    const powered = this.store.allServices().filter((s) => s.powered);
    const isReplica = (s: ServiceRecord): boolean => this.replicationSourceOf(s) !== undefined;
    await Promise.allSettled(powered.filter((s) => !isReplica(s)).map((s) => this.startEngine(s)));
    await Promise.allSettled(powered.filter(isReplica).map((s) => this.startEngine(s)));
  }

  private async reservePort(engines: EngineManager): Promise<number> {
    try {
      return await engines.reservePort();
    } catch (err) {
      throw new AivenError(503, `No port for the service's engine: ${(err as Error).message}`);
    }
  }

  private createServiceNow(project: string, input: CreateServiceInput, port: number): ServiceView {
    if (!SERVICE_NAME.test(input.service_name)) {
      throw badRequest(
        "Service name must start with a lowercase letter and contain only lowercase letters, digits and dashes, at most 63 characters",
      );
    }
    if (!isServiceType(input.service_type)) {
      throw badRequest(`Invalid service_type '${input.service_type}': this emulator serves valkey and redis only`);
    }
    const serviceType = input.service_type;
    if (this.store.getService(project, input.service_name)) {
      throw conflict("Service name is already in use in this project", "service_name_in_use");
    }
    checkNetworking(input);
    const maintenance = checkMaintenance(input.maintenance, defaultMaintenance(input.service_name));
    const replicaOf = input.service_integrations.filter((i) => i.integration_type === READ_REPLICA);
    if (replicaOf.length > 1) throw badRequest("A service can be a read replica of only one service");
    const source = replicaOf[0] && this.checkReplicaSource(project, serviceType, input.plan, replicaOf[0].source_service);
    for (const spec of input.service_integrations) {
      if (spec.integration_type !== READ_REPLICA) this.checkIntegrationSource(project, input.service_name, spec);
    }

    const now = this.now();
    const created: ServiceRecord = {
      project,
      service_name: input.service_name,
      service_type: serviceType,
      plan: input.plan,
      cloud_name: input.cloud ?? source?.cloud_name ?? DEFAULT_CLOUD,
      create_time: iso(now),
      update_time: iso(now),
      termination_protection: input.termination_protection ?? false,
      powered: true,
      transition: { state: "REBUILDING", until: now + this.timings.buildMs },
      backup_at: source ? null : now + this.timings.buildMs + this.timings.backupMs,
      password: `AVNS_${randomBytes(15).toString("base64url")}`,
      port,
      user_config: input.user_config ?? {},
      tags: input.tags ?? {},
      tech_emails: input.tech_emails ?? [],
      maintenance,
      disk_space_mb: input.disk_space_mb ?? defaultDiskSpaceMb(input.plan),
    };
    this.store.batch(() => {
      this.store.putService(created);
      for (const spec of input.service_integrations) {
        if (!spec.source_service) continue;
        this.store.putIntegration(
          this.newIntegration(project, spec.integration_type, spec.source_service, created.service_name, serviceType),
        );
      }
    });
    this.startEngine(created);
    // The answer shows the service as of the request, even when this process was descheduled.
    return this.view(created, now);
  }

  private updateServiceNow(project: string, name: string, input: UpdateServiceInput): { view: ServiceView; engineWork: Promise<unknown> } {
    const service = this.requireService(project, name);
    const now = this.now();
    const protectedNow = input.termination_protection ?? service.termination_protection;
    if (input.powered === false && service.powered && protectedNow) throw forbidden(PROTECTED_MESSAGE);
    if (input.plan !== undefined && input.plan !== service.plan && this.replicationSourceOf(service) && !isStartupPlan(input.plan)) {
      throw badRequest(`Read replicas are supported only on startup plans, not '${input.plan}'`);
    }
    checkNetworking(input);
    const maintenance = checkMaintenance(input.maintenance, service.maintenance);

    let engineAction: "start" | "stop" | undefined;
    if (input.termination_protection !== undefined) service.termination_protection = input.termination_protection;
    if (input.user_config !== undefined) service.user_config = { ...service.user_config, ...input.user_config };
    if (input.tech_emails !== undefined) service.tech_emails = input.tech_emails;
    if (input.disk_space_mb !== undefined) service.disk_space_mb = input.disk_space_mb;
    service.maintenance = maintenance;
    if (input.powered === false && service.powered) {
      service.powered = false;
      service.transition = null;
      engineAction = "stop";
    } else if (input.powered === true && !service.powered) {
      service.powered = true;
      service.transition = { state: "REBUILDING", until: now + this.timings.buildMs };
      engineAction = "start";
    }
    const moved = (input.plan !== undefined && input.plan !== service.plan) || (input.cloud !== undefined && input.cloud !== service.cloud_name);
    if (input.plan !== undefined) service.plan = input.plan;
    if (input.cloud !== undefined) service.cloud_name = input.cloud;
    const settling = service.transition !== null && service.transition.until > now;
    if (moved && service.powered && !settling) {
      service.transition = { state: "REBALANCING", until: now + this.timings.buildMs };
    }
    service.update_time = iso(now);
    this.store.putService(service);

    let engineWork: Promise<unknown> = Promise.resolve();
    if (engineAction === "stop") engineWork = this.engines?.stop(engineKey(service)) ?? engineWork;
    if (engineAction === "start") this.startEngine(service);
    return { view: this.view(service, now), engineWork };
  }

  private checkReplicaSource(project: string, type: ServiceType, plan: string, sourceName: string | undefined): ServiceRecord {
    if (!sourceName) throw badRequest("read_replica integration requires source_service");
    const source = this.store.getService(project, sourceName);
    if (!source) throw badRequest(`Read replica source service '${sourceName}' does not exist`);
    if (source.service_type !== type) {
      throw badRequest(
        `Read replica must have the same service type as its source: '${sourceName}' is ${source.service_type}, not ${type}`,
      );
    }
    if (this.replicationSourceOf(source)) {
      throw badRequest(`Service '${sourceName}' is itself a read replica and cannot be a read replica source`);
    }
    if (!isStartupPlan(plan)) throw badRequest(`Read replicas are supported only on startup plans, not '${plan}'`);
    const view = this.view(source);
    if (view.state !== "RUNNING") throw badRequest(`Read replica source service '${sourceName}' is not running (${view.state})`);
    if (view.backups.length === 0) {
      throw badRequest(`Read replica source service '${sourceName}' has no backups yet; try again once its first backup is done`);
    }
    const replicas = this.integrationsOf(project, sourceName).filter(
      (i) => i.integration_type === READ_REPLICA && i.source_service === sourceName,
    );
    if (replicas.length >= MAX_READ_REPLICAS) {
      throw badRequest(`Service '${sourceName}' already has the maximum of ${MAX_READ_REPLICAS} read replicas`);
    }
    return source;
  }

  /** What POST /integration would require of the source, for an integration given at service create. */
  private checkIntegrationSource(project: string, serviceName: string, spec: { integration_type: string; source_service?: string }): void {
    if (!spec.source_service) throw badRequest(`${spec.integration_type} integration requires source_service`);
    if (spec.source_service === serviceName) {
      throw badRequest(`Service '${serviceName}' cannot be the source of its own ${spec.integration_type} integration`);
    }
    if (!this.store.getService(project, spec.source_service)) {
      throw badRequest(`Integration source service '${spec.source_service}' does not exist`);
    }
  }

  /** Writes the promotion at once; the returned promise is its engine's `REPLICAOF NO ONE`. */
  private promote(integration: IntegrationRecord): Promise<void> {
    const replica = this.store.getService(integration.project, integration.dest_service);
    const now = this.now();
    this.store.batch(() => {
      this.store.deleteIntegration(integration.project, integration.service_integration_id);
      if (!replica) return;
      if (replica.powered) {
        replica.transition = { state: "REBUILDING", until: now + this.timings.promoteMs };
        replica.backup_at = now + this.timings.promoteMs + this.timings.backupMs;
      }
      replica.update_time = iso(now);
      this.store.putService(replica);
    });
    if (!replica || !this.engines) return Promise.resolve();
    return this.engines.replicate(engineKey(replica), null).catch((err: Error) => {
      this.log(`REPLICAOF NO ONE on ${integration.project}/${replica.service_name} failed: ${err.message}`);
    });
  }

  private promoteReplicasOf(service: ServiceRecord): Promise<void>[] {
    const links = this.integrationsOf(service.project, service.service_name).filter(
      (i) => i.integration_type === READ_REPLICA && i.source_service === service.service_name,
    );
    return links.map((link) => this.promote(link));
  }

  private startEngine(service: ServiceRecord): Promise<void> {
    const engines = this.engines;
    if (!engines) return Promise.resolve();
    const source = this.replicationSourceOf(service);
    const sourceAddress = source && engines.address(engineKey(source));
    const replicationSource: ReplicationSource | undefined =
      source && sourceAddress ? { host: sourceAddress.host, port: sourceAddress.port, password: source.password } : undefined;
    return engines.start(engineKey(service), service.password, replicationSource, service.port).then(
      () => this.relinkReplicasOf(service),
      () => undefined,
    );
  }

  // A primary's engine gets a new port when it restarts; its replicas follow it there.
  private async relinkReplicasOf(primary: ServiceRecord): Promise<void> {
    const engines = this.engines;
    const address = engines?.address(engineKey(primary));
    if (!engines || !address) return;
    const links = this.integrationsOf(primary.project, primary.service_name).filter(
      (i) => i.integration_type === READ_REPLICA && i.source_service === primary.service_name,
    );
    for (const link of links) {
      const key = `${primary.project}/${link.dest_service}`;
      if (!engines.address(key)) continue;
      await engines
        .replicate(key, { host: address.host, port: address.port, password: primary.password })
        .catch((err: Error) => this.log(`relinking ${key} failed: ${err.message}`));
    }
  }

  private replicationSourceOf(service: ServiceRecord): ServiceRecord | undefined {
    const link = this.integrationsOf(service.project, service.service_name).find(
      (i) => i.integration_type === READ_REPLICA && i.dest_service === service.service_name,
    );
    return link && this.store.getService(service.project, link.source_service);
  }

  private integrationsOf(project: string, name: string): IntegrationRecord[] {
    return this.store.listIntegrations(project).filter((i) => i.source_service === name || i.dest_service === name);
  }

  private requireService(project: string, name: string): ServiceRecord {
    const service = this.store.getService(project, name);
    if (!service) throw serviceNotFound();
    return service;
  }

  private newIntegration(project: string, type: string, source: string, dest: string, destType?: ServiceType): IntegrationRecord {
    return {
      project,
      service_integration_id: randomUUID(),
      integration_type: type,
      source_project: project,
      source_service: source,
      source_service_type: this.store.getService(project, source)?.service_type ?? "",
      dest_project: project,
      dest_service: dest,
      dest_service_type: destType ?? this.store.getService(project, dest)?.service_type ?? "",
      description: type === READ_REPLICA ? `Read replica of ${source}` : `${type} from ${source} to ${dest}`,
      user_config: {},
    };
  }

  private view(service: ServiceRecord, now = this.now()): ServiceView {
    return {
      record: service,
      state: this.stateOf(service, now),
      backups: backupsOf(service, now),
      integrations: this.integrationsOf(service.project, service.service_name),
      endpoint: this.endpointOf(service),
    };
  }

  private stateOf(service: ServiceRecord, now: number): ServiceState {
    if (!service.powered) return "POWEROFF";
    // An engine that failed to start leaves its service metadata only: it follows the timings.
    const engineReady = !this.engines || this.engines.isReady(engineKey(service)) || this.engines.hasFailed(engineKey(service));
    if (service.transition && (now < service.transition.until || !engineReady)) return service.transition.state;
    return engineReady ? "RUNNING" : "REBUILDING";
  }

  private endpointOf(service: ServiceRecord): ServiceEndpoint {
    if (this.engines && !this.engines.hasFailed(engineKey(service))) {
      const address = this.engines.address(engineKey(service));
      return { host: "127.0.0.1", port: address?.port ?? service.port, scheme: "redis", ssl: false };
    }
    return {
      host: `${service.service_name}-${service.project}.aivencloud.com`.toLowerCase(),
      port: service.port,
      scheme: "rediss",
      ssl: true,
    };
  }
}

export function engineKey(service: Pick<ServiceRecord, "project" | "service_name">): string {
  return `${service.project}/${service.service_name}`;
}

export function isStartupPlan(plan: string): boolean {
  return /^startup-/.test(plan);
}

function backupsOf(service: ServiceRecord, now: number): Backup[] {
  if (service.backup_at === null || now < service.backup_at) return [];
  const time = iso(service.backup_at);
  const name = time.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return [{ backup_name: name, backup_time: time, data_size: 0, storage_location: `aiven-backups-${service.cloud_name}` }];
}

/** No project VPCs and no static IPs exist in this emulator: naming one refers to nothing. */
function checkNetworking(input: { project_vpc_id?: string; static_ips?: string[] }): void {
  if (input.project_vpc_id !== undefined) throw notFound(`Project VPC '${input.project_vpc_id}' does not exist`, "project_vpc_not_found");
  if (input.static_ips?.length) throw notFound(`Static IP address '${input.static_ips[0]}' does not exist`, "static_ip_not_found");
}

function checkMaintenance(
  given: { dow?: string; time?: string } | undefined,
  current: { dow: string; time: string },
): { dow: string; time: string } {
  const dow = given?.dow ?? current.dow;
  const time = given?.time ?? current.time;
  if (!isMaintenanceDay(dow)) throw badRequest(`Invalid maintenance day '${dow}'`);
  if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(time)) throw badRequest(`Invalid maintenance time '${time}': expected HH:MM:SS`);
  return { dow, time };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
