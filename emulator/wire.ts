import { listedPlans, SERVICE_TYPE_DESCRIPTIONS, userConfigSchema } from "./catalog";
import type { Backup, IntegrationRecord, ServiceType, ServiceView } from "./types";

/** Aiven's JSON for a service integration. */
export function integrationJson(integration: IntegrationRecord): Record<string, unknown> {
  return {
    service_integration_id: integration.service_integration_id,
    integration_type: integration.integration_type,
    source_project: integration.source_project,
    source_service: integration.source_service,
    source_service_type: integration.source_service_type,
    source_endpoint: null,
    source_endpoint_id: null,
    dest_project: integration.dest_project,
    dest_service: integration.dest_service,
    dest_service_type: integration.dest_service_type,
    dest_endpoint: null,
    dest_endpoint_id: null,
    active: true,
    enabled: true,
    description: integration.description,
    integration_status: {
      state: { status: "running", errors: [], likely_error_cause: "none", nodes: {} },
      status_user_desc: "Integration is running",
    },
    user_config: integration.user_config,
  };
}

/** Aiven's JSON for a backup. */
export function backupJson(backup: Backup): Record<string, unknown> {
  return {
    backup_name: backup.backup_name,
    backup_time: backup.backup_time,
    data_size: backup.data_size,
    storage_location: backup.storage_location,
  };
}

/** Aiven's JSON for a service: every field Aiven's CLI and its Terraform-based provider read. */
export function serviceJson(view: ServiceView): Record<string, unknown> {
  const { record, endpoint } = view;
  const user = "default";
  const uri = `${endpoint.scheme}://${user}:${encodeURIComponent(record.password)}@${endpoint.host}:${endpoint.port}`;
  const type = record.service_type;
  return {
    service_name: record.service_name,
    service_type: type,
    service_type_description: SERVICE_TYPE_DESCRIPTIONS[type],
    plan: record.plan,
    cloud_name: record.cloud_name,
    cloud_description: record.cloud_name,
    group_list: ["default"],
    project_vpc_id: null,
    state: view.state,
    create_time: record.create_time,
    update_time: record.update_time,
    termination_protection: record.termination_protection,
    node_count: nodeCount(record.plan),
    disk_space_mb: record.disk_space_mb,
    backups: view.backups.map(backupJson),
    service_integrations: view.integrations.map(integrationJson),
    service_uri: uri,
    service_uri_params: { host: endpoint.host, port: String(endpoint.port), user, password: record.password },
    connection_info: connectionInfo(type, uri, record.password),
    components: [
      {
        component: type,
        host: endpoint.host,
        port: endpoint.port,
        route: "dynamic",
        usage: "primary",
        ssl: endpoint.ssl,
      },
    ],
    users: [{ username: user, password: record.password, type: "primary" }],
    maintenance: { dow: record.maintenance.dow, time: record.maintenance.time, enabled: true, updates: [] },
    user_config: record.user_config,
    tags: record.tags,
    tech_emails: record.tech_emails.map((email) => ({ email })),
    service_notifications: [],
    metadata: {},
    features: {},
  };
}

/**
 * A service as the emulator's own (unauthenticated) admin endpoints show it: no password, no URI
 * and no connection details, so nothing secret is handed to whoever can reach the port.
 */
export function adminServiceJson(view: ServiceView): Record<string, unknown> {
  return {
    service_name: view.record.service_name,
    service_type: view.record.service_type,
    plan: view.record.plan,
    state: view.state,
    service_integrations: view.integrations.map(integrationJson),
  };
}

// The keys are named after the service type: valkey / valkey_slave / valkey_password, or redis_….
function connectionInfo(type: ServiceType, uri: string, password: string): Record<string, unknown> {
  return { [type]: [uri], [`${type}_slave`]: [], [`${type}_password`]: password };
}

function nodeCount(plan: string): number {
  if (plan.startsWith("business-")) return 2;
  if (plan.startsWith("premium-")) return 3;
  return 1;
}

/** Aiven's JSON for one service type (`GET .../service-types/{type}`, and each entry of the catalog). */
export function serviceTypeJson(type: ServiceType): Record<string, unknown> {
  return {
    description: SERVICE_TYPE_DESCRIPTIONS[type],
    default_version: type === "valkey" ? "8" : "7.2",
    latest_available_version: type === "valkey" ? "8" : "7.2",
    user_config_schema: userConfigSchema(type),
  };
}

/** An entry of `GET .../service_types`: the type with its plans. */
export function serviceTypeWithPlansJson(type: ServiceType): Record<string, unknown> {
  return {
    ...serviceTypeJson(type),
    service_plans: listedPlans().map((plan) => ({
      service_plan: plan,
      service_type: type,
      node_count: nodeCount(plan),
      backup_config: { interval: 12, max_count: plan.startsWith("startup-") ? 2 : 14, recovery_mode: "basic" },
      regions: {},
    })),
  };
}

/** Aiven's JSON for a project, with the fields Aiven's CLI prints. */
export function projectJson(name: string, defaultCloud: string): Record<string, unknown> {
  return {
    project_name: name,
    default_cloud: defaultCloud,
    account_id: "a-emulator",
    billing_currency: "USD",
    billing_address: "",
    billing_extra_text: null,
    country_code: "",
    vat_id: "",
    card_info: null,
    tech_emails: [],
    tags: {},
  };
}
