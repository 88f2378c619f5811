import { isServiceType, SERVICE_TYPES } from "./catalog";
import { Cloud, CreateServiceInput, DEFAULT_CLOUD, UpdateServiceInput } from "./cloud";
import { badRequest, notFound } from "./errors";
import {
  backupJson,
  integrationJson,
  projectJson,
  serviceJson,
  serviceTypeJson,
  serviceTypeWithPlansJson,
} from "./wire";

export interface HandlerContext {
  params: Record<string, string>;
  body: unknown;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

const ok = (body: unknown): HandlerResult => ({ status: 200, body });

export interface HandlerOptions {
  /** The only projects that exist, when the emulator has a fixed list. */
  projects?: readonly string[];
}

/** Handlers translate between Aiven's wire format and the Cloud; the rules live in cloud.ts. */
export function createHandlers(cloud: Cloud, options: HandlerOptions = {}) {
  return {
    listProjects: () => ok({ projects: cloud.listProjects(options.projects).map((p) => projectJson(p, DEFAULT_CLOUD)) }),

    // No project VPCs and no static IPs exist here; both lists are asked for before creates.
    listVpcs: () => ok({ vpcs: [] }),
    listStaticIps: () => ok({ static_ips: [] }),

    listServiceTypes: () =>
      ok({ service_types: Object.fromEntries(SERVICE_TYPES.map((type) => [type, serviceTypeWithPlansJson(type)])) }),

    getServiceType: ({ params }: HandlerContext) => {
      if (!isServiceType(params.type)) throw notFound(`Service type '${params.type}' is not available`);
      return ok(serviceTypeJson(params.type));
    },

    // Aiven's provider treats a 404 here as "no plan details" and goes on.
    getPlanSpecs: ({ params }: HandlerContext) => {
      throw notFound(`Service plan '${params.plan}' details are not available in this emulator`);
    },

    listServices: ({ params }: HandlerContext) =>
      ok({ services: cloud.listServices(params.project).map(serviceJson) }),

    createService: async ({ params, body }: HandlerContext) =>
      ok({ service: serviceJson(await cloud.createService(params.project, parseCreateService(body))) }),

    getService: ({ params }: HandlerContext) => ok({ service: serviceJson(cloud.getService(params.project, params.service)) }),

    updateService: async ({ params, body }: HandlerContext) =>
      ok({ service: serviceJson(await cloud.updateService(params.project, params.service, parseUpdateService(body))) }),

    deleteService: async ({ params }: HandlerContext) => {
      await cloud.deleteService(params.project, params.service);
      return ok({ message: "Service deleted" });
    },

    listBackups: ({ params }: HandlerContext) =>
      ok({ backups: cloud.listBackups(params.project, params.service).map(backupJson) }),

    getTags: ({ params }: HandlerContext) => ok({ tags: cloud.getTags(params.project, params.service) }),

    replaceTags: ({ params, body }: HandlerContext) => {
      const input = objectBody(body);
      cloud.replaceTags(params.project, params.service, stringMap(input, "tags") ?? {});
      return ok({ message: "tags updated" });
    },

    listServiceIntegrations: ({ params }: HandlerContext) =>
      ok({ service_integrations: cloud.listServiceIntegrations(params.project, params.service).map(integrationJson) }),

    createIntegration: ({ params, body }: HandlerContext) => {
      const input = objectBody(body);
      const integration = cloud.createIntegration(params.project, {
        integration_type: requiredString(input, "integration_type"),
        source_service: requiredString(input, "source_service"),
        dest_service: requiredString(input, "dest_service"),
        source_project: optionalString(input, "source_project"),
        dest_project: optionalString(input, "dest_project"),
        description: optionalString(input, "description"),
        user_config: optionalObject(input, "user_config"),
      });
      return ok({ service_integration: integrationJson(integration) });
    },

    getIntegration: ({ params }: HandlerContext) =>
      ok({ service_integration: integrationJson(cloud.getIntegration(params.project, params.integration)) }),

    updateIntegration: ({ params, body }: HandlerContext) => {
      const input = objectBody(body);
      const userConfig = optionalObject(input, "user_config");
      if (!userConfig) throw badRequest("Invalid input: 'user_config' is required");
      return ok({ service_integration: integrationJson(cloud.updateIntegration(params.project, params.integration, userConfig)) });
    },

    deleteIntegration: async ({ params }: HandlerContext) => {
      await cloud.deleteIntegration(params.project, params.integration);
      return ok({ message: "Service integration deleted" });
    },
  };
}

export type Handlers = ReturnType<typeof createHandlers>;

function parseCreateService(body: unknown): CreateServiceInput {
  const input = objectBody(body);
  const integrations = input.service_integrations ?? [];
  if (!Array.isArray(integrations)) throw badRequest("Invalid input: 'service_integrations' must be a list");
  return {
    service_name: requiredString(input, "service_name"),
    service_type: requiredString(input, "service_type"),
    plan: requiredString(input, "plan"),
    cloud: optionalString(input, "cloud"),
    termination_protection: optionalBoolean(input, "termination_protection"),
    user_config: optionalObject(input, "user_config"),
    tags: stringMap(input, "tags"),
    tech_emails: techEmails(input),
    maintenance: maintenance(input),
    disk_space_mb: optionalPositiveInteger(input, "disk_space_mb"),
    project_vpc_id: optionalString(input, "project_vpc_id"),
    static_ips: optionalStringList(input, "static_ips"),
    service_integrations: integrations.map((item: unknown, i: number) => {
      const spec = objectBody(item, `service_integrations[${i}]`);
      return {
        integration_type: requiredString(spec, "integration_type"),
        // `source_service_name` is what Aiven's docs show; the API's own field is `source_service`.
        source_service: optionalString(spec, "source_service") ?? optionalString(spec, "source_service_name"),
      };
    }),
  };
}

function parseUpdateService(body: unknown): UpdateServiceInput {
  const input = objectBody(body);
  return {
    plan: optionalString(input, "plan"),
    cloud: optionalString(input, "cloud"),
    termination_protection: optionalBoolean(input, "termination_protection"),
    powered: optionalBoolean(input, "powered"),
    user_config: optionalObject(input, "user_config"),
    tech_emails: techEmails(input),
    maintenance: maintenance(input),
    disk_space_mb: optionalPositiveInteger(input, "disk_space_mb"),
    project_vpc_id: optionalString(input, "project_vpc_id"),
  };
}

type JsonObject = Record<string, unknown>;

function objectBody(body: unknown, where = "request body"): JsonObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(`Invalid input: ${where} must be a JSON object`);
  }
  return body as JsonObject;
}

function requiredString(input: JsonObject, field: string): string {
  const value = input[field];
  if (value === undefined || value === null || value === "") throw badRequest(`Invalid input: '${field}' is required`);
  if (typeof value !== "string") throw badRequest(`Invalid input: '${field}' must be a string`);
  return value;
}

function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`Invalid input: '${field}' must be a string`);
  return value;
}

function optionalBoolean(input: JsonObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`Invalid input: '${field}' must be a boolean`);
  return value;
}

function optionalObject(input: JsonObject, field: string): JsonObject | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return objectBody(value, `'${field}'`);
}

function optionalPositiveInteger(input: JsonObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw badRequest(`Invalid input: '${field}' must be a positive integer`);
  }
  return value;
}

function optionalStringList(input: JsonObject, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw badRequest(`Invalid input: '${field}' must be a list of strings`);
  }
  return value as string[];
}

function stringMap(input: JsonObject, field: string): Record<string, string> | undefined {
  const value = optionalObject(input, field);
  if (value === undefined) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") throw badRequest(`Invalid input: '${field}.${key}' must be a string`);
  }
  return value as Record<string, string>;
}

/** `tech_emails` is a list of `{"email": ...}` objects on the wire. */
function techEmails(input: JsonObject): string[] | undefined {
  const value = input.tech_emails;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest("Invalid input: 'tech_emails' must be a list");
  return value.map((item: unknown, i: number) => requiredString(objectBody(item, `tech_emails[${i}]`), "email"));
}

function maintenance(input: JsonObject): { dow?: string; time?: string } | undefined {
  const value = optionalObject(input, "maintenance");
  if (value === undefined) return undefined;
  return { dow: optionalString(value, "dow"), time: optionalString(value, "time") };
}
