import type { IntegrationRecord, ServiceRecord } from "./types";

/** A running redis-server, kept with the state so that a restart after a kill can reap it. */
export interface EngineRecord {
  pid: number;
  port: number;
  /** The engines' working directory (removed with them). */
  dir: string;
}

/** Everything the emulator keeps, in the form written to a state file. */
export interface StateSnapshot {
  version: 1;
  services: ServiceRecord[];
  integrations: IntegrationRecord[];
  engines?: EngineRecord[];
}

/**
 * The state of all projects. Reads return copies, so a change only counts once it is put back;
 * that gives persistent implementations one place to see every mutation.
 */
export interface StateStore {
  getService(project: string, name: string): ServiceRecord | undefined;
  listServices(project: string): ServiceRecord[];
  allServices(): ServiceRecord[];
  putService(service: ServiceRecord): void;
  deleteService(project: string, name: string): void;
  getIntegration(project: string, id: string): IntegrationRecord | undefined;
  listIntegrations(project: string): IntegrationRecord[];
  putIntegration(integration: IntegrationRecord): void;
  deleteIntegration(project: string, id: string): void;
  /** The engines running for this state (written, like any mutation, by a persistent store). */
  engines(): EngineRecord[];
  setEngines(engines: EngineRecord[]): void;
  /** Runs several mutations as one unit: a persistent store writes once, at the end. */
  batch<T>(fn: () => T): T;
  clear(): void;
  snapshot(): StateSnapshot;
}

interface ProjectState {
  services: Map<string, ServiceRecord>;
  integrations: Map<string, IntegrationRecord>;
}

const copy = <T>(value: T): T => structuredClone(value);

/** In-memory store: Maps per project. */
export class MemoryStore implements StateStore {
  private readonly projects = new Map<string, ProjectState>();
  private running: EngineRecord[] = [];

  constructor(initial?: StateSnapshot) {
    if (initial) this.load(initial);
  }

  getService(project: string, name: string): ServiceRecord | undefined {
    const found = this.projects.get(project)?.services.get(name);
    return found && copy(found);
  }

  listServices(project: string): ServiceRecord[] {
    return [...(this.projects.get(project)?.services.values() ?? [])].map(copy);
  }

  allServices(): ServiceRecord[] {
    return [...this.projects.values()].flatMap((p) => [...p.services.values()].map(copy));
  }

  putService(service: ServiceRecord): void {
    this.project(service.project).services.set(service.service_name, copy(service));
  }

  deleteService(project: string, name: string): void {
    this.projects.get(project)?.services.delete(name);
  }

  getIntegration(project: string, id: string): IntegrationRecord | undefined {
    const found = this.projects.get(project)?.integrations.get(id);
    return found && copy(found);
  }

  listIntegrations(project: string): IntegrationRecord[] {
    return [...(this.projects.get(project)?.integrations.values() ?? [])].map(copy);
  }

  putIntegration(integration: IntegrationRecord): void {
    this.project(integration.project).integrations.set(integration.service_integration_id, copy(integration));
  }

  deleteIntegration(project: string, id: string): void {
    this.projects.get(project)?.integrations.delete(id);
  }

  engines(): EngineRecord[] {
    return copy(this.running);
  }

  setEngines(engines: EngineRecord[]): void {
    this.running = copy(engines);
  }

  batch<T>(fn: () => T): T {
    return fn();
  }

  clear(): void {
    this.projects.clear();
  }

  snapshot(): StateSnapshot {
    const projects = [...this.projects.values()];
    return {
      version: 1,
      services: projects.flatMap((p) => [...p.services.values()].map(copy)),
      integrations: projects.flatMap((p) => [...p.integrations.values()].map(copy)),
      engines: copy(this.running),
    };
  }

  private load(snapshot: StateSnapshot): void {
    for (const service of snapshot.services) this.putService(service);
    for (const integration of snapshot.integrations) this.putIntegration(integration);
    this.running = copy(snapshot.engines ?? []);
  }

  private project(name: string): ProjectState {
    let state = this.projects.get(name);
    if (!state) {
      state = { services: new Map(), integrations: new Map() };
      this.projects.set(name, state);
    }
    return state;
  }
}
