// What @pulumi/aiven's Valkey and Redis resources do against the Aiven API, for the offline
// harness: the same calls and fields, the same wait for RUNNING, the same state back.
import { AivenClient, ifNotFound } from "../provider/aivenClient";
import type { AivenCreateServiceRequest, AivenService, AivenUpdateServiceRequest } from "../provider/aivenTypes";
import { SERVICE_INTEGRATIONS_FIXED } from "../provider/rules";
import { waitFor } from "../provider/waitFor";
import { applyIgnoreChanges } from "./registrationOptions";
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
  /** The inputs applied, after ignoreChanges: what the state records. */
  inputs: Record<string, unknown>;
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
 * provider does. When the service has state, the registration's `ignoreChanges` apply first, as
 * the engine applies them: an ignored property keeps its old value, on a replace too. A change of
 * `serviceIntegrations` that is left (not ignored, not emptied) fails as Aiven's provider fails.
 * With `refresh`, an unchanged service is read back from the API, else its old state is kept.
 */
export async function applyService(
  client: AivenClient,
  serviceType: "valkey" | "redis",
  raw: Record<string, unknown>,
  prior: PriorState | undefined,
  refresh: boolean,
  wait: ServiceWait,
  ignoreChanges: readonly string[] = [],
): Promise<ServiceResult> {
  const declared = raw as unknown as ServiceInputs;
  const live = prior && refresh ? await findService(client, declared.project, declared.serviceName) : undefined;
  if (prior && (!refresh || live)) {
    const applied = applyIgnoreChanges(raw, prior.inputs, ignoreChanges);
    const inputs = applied as unknown as ServiceInputs;
    const { project, serviceName } = inputs;
    const id = `${project}/${serviceName}`;
    // The provider diffs against the state (the live service when refreshed, else the last run's),
    // leaving out what ignoreChanges names, as the engine asks it to.
    if (!ignoreChanges.includes("serviceIntegrations")) {
      const stateIntegrations = live ? serviceState(live, project).serviceIntegrations : (prior.outputs.serviceIntegrations ?? prior.inputs.serviceIntegrations);
      if (integrationsChanged(stateIntegrations, inputs.serviceIntegrations)) throw new Error(SERVICE_INTEGRATIONS_FIXED);
    }
    if (prior.inputs.serviceName !== serviceName || prior.inputs.project !== project) {
      await client.createService(project, createRequest(serviceType, inputs));
      const created = await waitRunning(client, serviceType, project, serviceName, wait);
      const replaced = { project: String(prior.inputs.project), serviceName: String(prior.inputs.serviceName) };
      return { id, state: serviceState(created, project), action: "replace", inputs: applied, replaced };
    }
    const update = updateRequest(prior.inputs as unknown as ServiceInputs, inputs);
    if (!update) return { id, state: live ? serviceState(live, project) : prior.outputs, action: "same", inputs: applied };
    await client.updateService(project, serviceName, update);
    const updated = await waitRunning(client, serviceType, project, serviceName, wait);
    return { id, state: serviceState(updated, project), action: "update", inputs: applied };
  }
  const { project, serviceName } = declared;
  await client.createService(project, createRequest(serviceType, declared));
  const created = await waitRunning(client, serviceType, project, serviceName, wait);
  return { id: `${project}/${serviceName}`, state: serviceState(created, project), action: "create", inputs: raw };
}

/** Aiven's CustomizeDiffServiceIntegrationAfterCreation: a change to a non-empty list is refused. */
function integrationsChanged(state: unknown, declared: ServiceInputs["serviceIntegrations"]): boolean {
  const wanted = (declared ?? []).map((i) => ({ integrationType: i.integrationType, sourceServiceName: i.sourceServiceName }));
  if (wanted.length === 0) return false;
  const had = (Array.isArray(state) ? (state as Array<Record<string, unknown>>) : []).map((i) => ({
    integrationType: i.integrationType,
    sourceServiceName: i.sourceServiceName,
  }));
  return JSON.stringify(had) !== JSON.stringify(wanted);
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

function findService(client: AivenClient, project: string, name: string): Promise<AivenService | undefined> {
  return ifNotFound(client.getService(project, name), () => undefined);
}

async function waitRunning(
  client: AivenClient,
  serviceType: string,
  project: string,
  name: string,
  wait: ServiceWait,
): Promise<AivenService> {
  return waitFor({
    what: `${serviceType} '${name}' to be RUNNING`,
    deadline: Date.now() + wait.timeoutMs,
    timeoutSeconds: wait.timeoutMs / 1000,
    pollMs: wait.pollMs,
    poll: () => client.getService(project, name),
    done: (service) => service.state === "RUNNING",
    describe: (service) => service.state,
    log: wait.log,
  });
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
