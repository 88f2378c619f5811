import type { IntegrationRecord, ServiceView } from "./types";

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

/** Aiven's JSON for a service. */
export function serviceJson(view: ServiceView): Record<string, unknown> {
  const { record, endpoint } = view;
  const user = "default";
  const uri = `${endpoint.scheme}://${user}:${encodeURIComponent(record.password)}@${endpoint.host}:${endpoint.port}`;
  return {
    service_name: record.service_name,
    service_type: record.service_type,
    service_type_description: record.service_type === "valkey" ? "Aiven for Valkey" : "Aiven for Caching",
    plan: record.plan,
    cloud_name: record.cloud_name,
    cloud_description: record.cloud_name,
    state: view.state,
    create_time: record.create_time,
    update_time: record.update_time,
    termination_protection: record.termination_protection,
    node_count: nodeCount(record.plan),
    backups: view.backups,
    service_integrations: view.integrations.map(integrationJson),
    service_uri: uri,
    service_uri_params: { host: endpoint.host, port: String(endpoint.port), user, password: record.password },
    components: [
      {
        component: record.service_type,
        host: endpoint.host,
        port: endpoint.port,
        route: "dynamic",
        usage: "primary",
        ssl: endpoint.ssl,
      },
    ],
    users: [{ username: user, password: record.password, type: "primary" }],
    user_config: record.user_config,
    tags: {},
  };
}

function nodeCount(plan: string): number {
  if (plan.startsWith("business-")) return 2;
  if (plan.startsWith("premium-")) return 3;
  return 1;
}
