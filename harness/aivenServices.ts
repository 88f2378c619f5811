// The Aiven API calls of @pulumi/aiven's Valkey and Redis: create with the same fields, a PUT for a
// changed plan, cloud or termination protection, the wait for RUNNING. Which changes Aiven's provider
// refuses is for the real one to show.
import { AivenClient, ifNotFound } from "../provider/aivenClient";
import type { AivenService, AivenUpdateServiceRequest } from "../provider/aivenTypes";
import { waitFor, waitSettings } from "../provider/waitFor";
import type { Applied, ResourceRecord } from "./types";

/** The Aiven service type of a Valkey or Redis resource or data source (`aiven:index/getRedis:getRedis` → `redis`). */
export const serviceTypeOf = (token: string) => /^aiven:index\/(?:get)?(valkey|redis):/i.exec(token)?.[1].toLowerCase();

type Integration = { integrationType: string; sourceServiceName: string };
type Settings = { plan: string; cloudName?: string; terminationProtection?: boolean };
type Inputs = Settings & { project: string; serviceName: string; serviceIntegrations?: Integration[] };
/** What one run's service calls share. */
export type ServiceRun = { client: AivenClient; refresh: boolean; pollMs: number; log: (line: string) => void };

/** Create, or (given the last run's record) update or replace, one service; then wait for RUNNING. */
export async function applyService(run: ServiceRun, serviceType: string, inputs: Inputs, prior?: ResourceRecord): Promise<Applied> {
  const { client, refresh } = run;
  const { project, serviceName: name } = inputs;
  const id = `${project}/${name}`;
  const old = prior?.inputs as Inputs | undefined;
  const live = old && refresh ? await ifNotFound(client.getService(old.project, old.serviceName), () => undefined) : undefined;
  const action = !old || (refresh && !live) ? "create" : old.serviceName !== name || old.project !== project ? "replace" : "update";
  if (action === "update") {
    const update: AivenUpdateServiceRequest = {};
    if (inputs.plan !== old!.plan) update.plan = inputs.plan;
    if (inputs.cloudName && inputs.cloudName !== old!.cloudName) update.cloud = inputs.cloudName;
    if (!!inputs.terminationProtection !== !!old!.terminationProtection) update.termination_protection = !!inputs.terminationProtection;
    if (Object.keys(update).length === 0) return { id, props: live ? serviceState(live, project) : prior!.outputs, action: "same" };
    await client.updateService(project, name, update);
  } else {
    const links = inputs.serviceIntegrations?.map((i) => ({ integration_type: i.integrationType, source_service: i.sourceServiceName }));
    await client.createService(project, {
      service_name: name,
      service_type: serviceType,
      plan: inputs.plan,
      ...(inputs.cloudName ? { cloud: inputs.cloudName } : {}),
      termination_protection: !!inputs.terminationProtection,
      user_config: {},
      service_integrations: links ?? [],
    });
  }
  const what = `${serviceType} '${name}' to be RUNNING`;
  const settings = waitSettings({ timeoutSeconds: 600, pollSeconds: run.pollMs / 1000 });
  const poll = () => client.getService(project, name);
  const running = await waitFor({ what, ...settings, poll, done: (s) => s.state === "RUNNING", describe: (s) => s.state, log: run.log });
  return { id, props: serviceState(running, project), action };
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
    cloudName: service.cloud_name,
    serviceUri: service.service_uri,
    serviceHost: params.host ?? service.components?.[0]?.host,
    servicePort: Number(params.port ?? service.components?.[0]?.port),
    serviceIntegrations: (service.service_integrations ?? []) // where it is the destination: a promotion empties it
      .filter((i) => i.dest_service === service.service_name)
      .map((i) => ({ integrationType: i.integration_type, sourceServiceName: i.source_service })),
  };
}
