// The Aiven API calls of @pulumi/aiven's Valkey and Redis: create with the same fields, a PUT for a
// changed plan, cloud or termination protection, the wait for RUNNING. Which changes Aiven's provider
// refuses is for the real one to show.
import { AivenClient, ifNotFound } from "../provider/aivenClient";
import type { AivenService, AivenUpdateServiceRequest } from "../provider/aivenTypes";
import { waitFor } from "../provider/waitFor";
import type { Action } from "./types";

/** Resource and data source tokens → Aiven service type. */
export const SERVICE_TYPES: Readonly<Record<string, string>> = {
  "aiven:index/valkey:Valkey": "valkey",
  "aiven:index/redis:Redis": "redis",
  "aiven:index/getValkey:getValkey": "valkey",
  "aiven:index/getRedis:getRedis": "redis",
};

type Integrations = Array<{ integrationType: string; sourceServiceName: string }>;
type Inputs = { project: string; serviceName: string; plan: string; cloudName?: string; terminationProtection?: boolean; serviceIntegrations?: Integrations };
export type Wait = { pollMs: number; timeoutMs: number; log: (line: string) => void };

/** Create, or (given the last run's state) update or replace, one service; then wait for RUNNING. */
export async function applyService(client: AivenClient, serviceType: string, inputs: Inputs, prior: { inputs: object; outputs: object } | undefined, refresh: boolean, wait: Wait) {
  const { project, serviceName: name } = inputs;
  const id = `${project}/${name}`;
  const old = prior?.inputs as Inputs | undefined;
  const live = old && refresh ? await ifNotFound(client.getService(old.project, old.serviceName), () => undefined) : undefined;
  const action: Action = !old || (refresh && !live) ? "create" : old.serviceName !== name || old.project !== project ? "replace" : "update";
  if (action === "update") {
    const update: AivenUpdateServiceRequest = {};
    if (inputs.plan !== old!.plan) update.plan = inputs.plan;
    if (inputs.cloudName && inputs.cloudName !== old!.cloudName) update.cloud = inputs.cloudName;
    if (!!inputs.terminationProtection !== !!old!.terminationProtection) update.termination_protection = !!inputs.terminationProtection;
    if (Object.keys(update).length === 0) return { id, state: live ? serviceState(live, project) : { ...prior!.outputs }, action: "same" as Action };
    await client.updateService(project, name, update);
  } else {
    await client.createService(project, {
      service_name: name,
      service_type: serviceType,
      plan: inputs.plan,
      ...(inputs.cloudName ? { cloud: inputs.cloudName } : {}),
      termination_protection: !!inputs.terminationProtection,
      user_config: {},
      service_integrations: (inputs.serviceIntegrations ?? []).map((i) => ({ integration_type: i.integrationType, source_service: i.sourceServiceName })),
    });
  }
  const poll = () => client.getService(project, name);
  const { pollMs, timeoutMs, log } = wait;
  const what = `${serviceType} '${name}' to be RUNNING`;
  const running = await waitFor({ what, deadline: Date.now() + timeoutMs, timeoutSeconds: timeoutMs / 1000, pollMs, poll, done: (s) => s.state === "RUNNING", describe: (s) => s.state, log });
  return { id, state: serviceState(running, project), action };
}

/** Answers `aiven.getValkey` / `aiven.getRedis`. */
export async function readService(client: AivenClient, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return serviceState(await client.getService(String(args.project), String(args.serviceName)), String(args.project));
}

/** The outputs @pulumi/aiven reports that the component and the tests read. */
function serviceState(service: AivenService, project: string): Record<string, unknown> {
  const params = service.service_uri_params ?? {};
  return {
    project,
    serviceName: service.service_name,
    serviceType: service.service_type,
    plan: service.plan,
    cloudName: service.cloud_name,
    state: service.state,
    serviceUri: service.service_uri,
    serviceHost: params.host ?? service.components?.[0]?.host,
    servicePort: Number(params.port ?? service.components?.[0]?.port),
    serviceIntegrations: (service.service_integrations ?? []) // where it is the destination: a promotion empties it
      .filter((i) => i.dest_service === service.service_name)
      .map((i) => ({ integrationType: i.integration_type, sourceServiceName: i.source_service })),
  };
}
