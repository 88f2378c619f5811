// Raw wire types of the Aiven API endpoints this package uses (snake_case, as Aiven sends them).

export type AivenServiceState = "POWEROFF" | "REBALANCING" | "REBUILDING" | "RUNNING" | (string & {});

export interface AivenIntegration {
  service_integration_id: string;
  integration_type: string;
  source_service: string;
  dest_service: string;
  source_project?: string;
  dest_project?: string;
  active?: boolean;
  enabled?: boolean;
  integration_status?: { state?: Record<string, unknown>; status_user_desc?: string };
  [key: string]: unknown;
}

export interface AivenBackup {
  backup_name: string;
  backup_time: string;
  data_size?: number;
  storage_location?: string;
  [key: string]: unknown;
}

export interface AivenComponent {
  component: string;
  host: string;
  port: number;
  route?: string;
  usage?: string;
  ssl?: boolean;
  [key: string]: unknown;
}

export interface AivenService {
  service_name: string;
  service_type: string;
  state: AivenServiceState;
  plan?: string;
  cloud_name?: string;
  project?: string;
  service_uri?: string;
  service_uri_params?: Record<string, string>;
  termination_protection?: boolean;
  backups?: AivenBackup[];
  service_integrations?: AivenIntegration[];
  components?: AivenComponent[];
  [key: string]: unknown;
}

/** Body of `POST /v1/project/{p}/service`. */
export interface AivenCreateServiceRequest {
  service_name: string;
  service_type: string;
  plan: string;
  cloud?: string;
  termination_protection?: boolean;
  user_config?: Record<string, unknown>;
  /** `source_service` is Aiven's field; the docs' `source_service_name` is accepted by some servers too. */
  service_integrations?: Array<{ integration_type: string; source_service?: string; source_service_name?: string }>;
  [key: string]: unknown;
}

/** Body of `PUT /v1/project/{p}/service/{s}`. */
export interface AivenUpdateServiceRequest {
  plan?: string;
  cloud?: string;
  powered?: boolean;
  termination_protection?: boolean;
  user_config?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Aiven's error body: `errors` is documented as an array, but is not always one. */
export interface AivenErrorBody {
  message?: unknown;
  errors?: unknown;
  error_code?: unknown;
}
