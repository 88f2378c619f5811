/** Aiven's service types that this emulator serves: Valkey and Caching (`redis`). */
export type ServiceType = "valkey" | "redis";

/** Transitional states a powered service passes through before `RUNNING`. */
export type TransitionState = "REBUILDING" | "REBALANCING";

/** Service states as Aiven reports them. */
export type ServiceState = TransitionState | "RUNNING" | "POWEROFF";

/**
 * A service as stored. States are derived from deadlines at read time (see cloud.ts), so the
 * stored form survives restarts without timers.
 */
export interface ServiceRecord {
  project: string;
  service_name: string;
  service_type: ServiceType;
  plan: string;
  cloud_name: string;
  create_time: string;
  update_time: string;
  termination_protection: boolean;
  powered: boolean;
  /** In a transition until `until` (epoch ms); null once settled. */
  transition: { state: TransitionState; until: number } | null;
  /** Epoch ms of the first backup; null for services that take none (replicas, powered off). */
  backup_at: number | null;
  password: string;
  /**
   * The service's port, allocated at create as Aiven does: its engine listens there (or, when no
   * engine runs, it is only shown).
   */
  port: number;
  user_config: Record<string, unknown>;
  tags: Record<string, string>;
  tech_emails: string[];
  maintenance: { dow: string; time: string };
  disk_space_mb: number;
}

export interface IntegrationRecord {
  project: string;
  service_integration_id: string;
  integration_type: string;
  source_project: string;
  source_service: string;
  source_service_type: string;
  dest_project: string;
  dest_service: string;
  dest_service_type: string;
  description: string;
  user_config: Record<string, unknown>;
}

export interface Backup {
  backup_name: string;
  backup_time: string;
  data_size: number;
  storage_location: string;
}

/** Where a service's engine (or its fake stand-in) answers. */
export interface ServiceEndpoint {
  host: string;
  port: number;
  scheme: "redis" | "rediss";
  ssl: boolean;
}

/** A service with everything derived at read time: the handlers turn this into Aiven JSON. */
export interface ServiceView {
  record: ServiceRecord;
  state: ServiceState;
  backups: Backup[];
  integrations: IntegrationRecord[];
  endpoint: ServiceEndpoint;
}
