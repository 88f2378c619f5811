// The Aiven API calls of @pulumi/aiven's Valkey and Redis that the harness makes: create (then wait for RUNNING) and read.
import { AivenClient, ifNotFound } from "../provider/aivenClient";
import type { AivenService } from "../provider/aivenTypes";
import { waitFor, waitSettings } from "../provider/waitFor";
import type { Action, ResourceRecord, RunOptions } from "./types";

/** The Aiven service type of a Valkey or Redis resource or data source (`aiven:index/getRedis:getRedis` → `redis`). */
export const serviceTypeOf = (token: string) => /^aiven:index\/(?:get)?(valkey|redis):/i.exec(token)?.[1].toLowerCase();
type Settings = { project: string; serviceName: string; plan: string; cloudName?: string; terminationProtection?: boolean };
type Inputs = Settings & { serviceIntegrations?: Array<{ integrationType: string; sourceServiceName: string }> };
/** What the harness did to one resource in this run, and the resource's state after it. */
export type Applied = { id: string; props: Record<string, unknown>; action: Action };

/** Create, or (given the last run's record) keep or replace, one service; then wait for RUNNING. */
export async function applyService(client: AivenClient, options: RunOptions, serviceType: string, inputs: Inputs, prior?: ResourceRecord) {
  const { refresh = false, servicePollMs = 100, log = () => undefined } = options;
  const { project, serviceName: name } = inputs;
  const id = `${project}/${name}`;
  const old = prior?.inputs as Inputs | undefined;
  const live = old && refresh ? await ifNotFound(client.getService(old.project, old.serviceName), () => undefined) : undefined;
  const action: Action = !old || (refresh && !live) ? "create" : old.serviceName !== name || old.project !== project ? "replace" : "same";
  if (action === "same") {
    const changed = (["plan", "cloudName", "terminationProtection"] as const).filter((key) => inputs[key] !== old![key]);
    if (changed.length > 0) throw new Error(`the offline harness does not change a service's ${changed.join(", ")}; pulumi up does`);
    return { id, props: live ? serviceState(live, project) : prior!.outputs, action };
  }
  await client.createService(project, {
    service_name: name,
    service_type: serviceType,
    plan: inputs.plan,
    ...(inputs.cloudName ? { cloud: inputs.cloudName } : {}),
    termination_protection: !!inputs.terminationProtection,
    user_config: {},
    service_integrations: inputs.serviceIntegrations?.map((i) => ({ integration_type: i.integrationType, source_service: i.sourceServiceName })) ?? [],
  });
  const what = `${serviceType} '${name}' to be RUNNING`;
  const settings = waitSettings({ timeoutSeconds: 600, pollSeconds: servicePollMs / 1000 });
  const poll = () => client.getService(project, name);
  const running = await waitFor({ what, ...settings, poll, done: (s) => s.state === "RUNNING", describe: (s) => s.state, log });
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
