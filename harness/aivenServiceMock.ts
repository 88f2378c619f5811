// What @pulumi/aiven's Valkey and Redis resources do against the Aiven API, for the offline
// harness: the same calls and fields, the same wait for RUNNING, the same state back.
import { AivenClient, isAivenApiError } from "../provider/aivenClient";
import type { AivenCreateServiceRequest, AivenService, AivenUpdateServiceRequest } from "../provider/aivenTypes";
import type { Action } from "./types";

/** Resource type tokens → Aiven service type. */
export const SERVICE_RESOURCE_TYPES: Readonly<Record<string, "valkey" | "redis">> = {
  "aiven:index/valkey:Valkey": "valkey",
  "aiven:index/redis:Redis": "redis",
};

/** Data sources (`aiven.getValkey`, `aiven.getRedis`) → Aiven service type. */
export const SERVICE_INVOKES: Readonly<Record<string, "valkey" | "redis">> = {
  "aiven:index/getValkey:getValkey": "valkey",
  "aiven:index/getRedis:getRedis": "redis",
};

interface ServiceInputs {
  project: string;
  serviceName: string;
  plan: string;
  cloudName?: string;
  terminationProtection?: boolean;
  serviceIntegrations?: Array<{ integrationType: string; sourceServiceName: string }>;
}

export interface ServiceResult {
  id: string;
  state: Record<string, unknown>;
  action: Action;
  /** On a replace: the old service, which the engine deletes only once the whole run succeeded. */
  replaced?: { project: string; serviceName: string };
}

export interface ServiceWait {
  pollMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/** The request body Aiven's provider sends on create: integrations name the source by `source_service`. */
export function createRequest(serviceType: string, inputs: ServiceInputs): AivenCreateServiceRequest {
  const body: AivenCreateServiceRequest = {
    service_name: inputs.serviceName,
    service_type: serviceType,
    plan: inputs.plan,
    termination_protection: inputs.terminationProtection ?? false,
    user_config: {},
    service_integrations: (inputs.serviceIntegrations ?? []).map((i) => ({
      integration_type: i.integrationType,
      source_service: i.sourceServiceName,
    })),
  };
  if (inputs.cloudName) body.cloud = inputs.cloudName;
  return body;
}

/** The state a previous run left for this resource. */
export interface PriorState {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/**
 * Create, or on a later run diff and update, one service, then wait for RUNNING, as the Aiven
 * provider does. Changes of `serviceIntegrations` are never sent: the component ignores them.
 * With `refresh`, an unchanged service is read back from the API, else its old state is kept.
 */
export async function applyService(
  client: AivenClient,
  serviceType: "valkey" | "redis",
  raw: Record<string, unknown>,
  prior: PriorState | undefined,
  refresh: boolean,
  wait: ServiceWait,
): Promise<ServiceResult> {
  const inputs = raw as unknown as ServiceInputs;
  const { project, serviceName } = inputs;
  const id = `${project}/${serviceName}`;
  const live = prior && refresh ? await findService(client, project, serviceName) : undefined;
  if (prior && (!refresh || live)) {
    if (prior.inputs.serviceName !== serviceName || prior.inputs.project !== project) {
      await client.createService(project, createRequest(serviceType, inputs));
      const created = await waitRunning(client, serviceType, project, serviceName, wait);
      const replaced = { project: String(prior.inputs.project), serviceName: String(prior.inputs.serviceName) };
      return { id, state: serviceState(created, project), action: "replace", replaced };
    }
    const update = updateRequest(prior.inputs as unknown as ServiceInputs, inputs);
    if (!update) return { id, state: live ? serviceState(live, project) : prior.outputs, action: "same" };
    await client.updateService(project, serviceName, update);
    return { id, state: serviceState(await waitRunning(client, serviceType, project, serviceName, wait), project), action: "update" };
  }
  await client.createService(project, createRequest(serviceType, inputs));
  return { id, state: serviceState(await waitRunning(client, serviceType, project, serviceName, wait), project), action: "create" };
}

function updateRequest(old: ServiceInputs, inputs: ServiceInputs): AivenUpdateServiceRequest | undefined {
  const update: AivenUpdateServiceRequest = {};
  if (inputs.plan !== old.plan) update.plan = inputs.plan;
  if (inputs.cloudName && inputs.cloudName !== old.cloudName) update.cloud = inputs.cloudName;
  if ((inputs.terminationProtection ?? false) !== (old.terminationProtection ?? false)) {
    update.termination_protection = inputs.terminationProtection ?? false;
  }
  return Object.keys(update).length > 0 ? update : undefined;
}

async function findService(client: AivenClient, project: string, name: string): Promise<AivenService | undefined> {
  try {
    return await client.getService(project, name);
  } catch (e) {
    if (isAivenApiError(e, 404)) return undefined;
    throw e;
  }
}

async function waitRunning(
  client: AivenClient,
  serviceType: string,
  project: string,
  name: string,
  wait: ServiceWait,
): Promise<AivenService> {
  const deadline = Date.now() + wait.timeoutMs;
  let last = "";
  for (;;) {
    const service = await client.getService(project, name);
    if (service.state === "RUNNING") return service;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${wait.timeoutMs / 1000}s waiting for ${serviceType} '${name}' to be RUNNING (last state: ${service.state})`);
    }
    if (service.state !== last) wait.log(`waiting for ${serviceType} '${name}' to be RUNNING (now: ${service.state})`);
    last = service.state;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

/** Answers `aiven.getValkey` / `aiven.getRedis`. */
export async function readService(client: AivenClient, serviceType: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const project = String(args.project);
  const name = String(args.serviceName);
  const service = await findService(client, project, name);
  if (!service) throw new Error(`${serviceType} service '${name}' not found in project '${project}'`);
  return serviceState(service, project);
}

/** The Pulumi state of a service, as @pulumi/aiven reports it. */
export function serviceState(service: AivenService, project: string): Record<string, unknown> {
  const params = service.service_uri_params ?? {};
  const component = service.components?.[0];
  return {
    project,
    serviceName: service.service_name,
    serviceType: service.service_type,
    plan: service.plan,
    cloudName: service.cloud_name,
    state: service.state,
    terminationProtection: service.termination_protection ?? false,
    serviceUri: service.service_uri,
    serviceHost: params.host ?? component?.host,
    servicePort: Number(params.port ?? component?.port),
    serviceUsername: params.user,
    servicePassword: params.password,
    components: (service.components ?? []).map((c) => ({
      component: c.component,
      host: c.host,
      port: c.port,
      route: c.route,
      usage: c.usage,
      connectionUri: `${c.host}:${c.port}`,
    })),
    // Live integrations where this service is the destination: promotion empties this.
    serviceIntegrations: (service.service_integrations ?? [])
      .filter((i) => i.dest_service === service.service_name)
      .map((i) => ({ integrationType: i.integration_type, sourceServiceName: i.source_service })),
  };
}
