import type { Cloud, CreateServiceInput, UpdateServiceInput } from "./cloud";
import { badRequest } from "./errors";
import { integrationJson, serviceJson } from "./wire";

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

/** Handlers translate between Aiven's wire format and the Cloud; the rules live in cloud.ts. */
export function createHandlers(cloud: Cloud) {
  return {
    listServices: ({ params }: HandlerContext) =>
      ok({ services: cloud.listServices(params.project).map(serviceJson) }),

    createService: ({ params, body }: HandlerContext) =>
      ok({ service: serviceJson(cloud.createService(params.project, parseCreateService(body))) }),

    getService: ({ params }: HandlerContext) => ok({ service: serviceJson(cloud.getService(params.project, params.service)) }),

    updateService: async ({ params, body }: HandlerContext) =>
      ok({ service: serviceJson(await cloud.updateService(params.project, params.service, parseUpdateService(body))) }),

    deleteService: async ({ params }: HandlerContext) => {
      await cloud.deleteService(params.project, params.service);
      return ok({ message: "Service deleted" });
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
