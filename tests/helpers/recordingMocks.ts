import * as pulumi from "@pulumi/pulumi";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";

/** One resource registration as the engine would receive it. */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  parentUrn: string;
  dependencies: string[];
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  custom: boolean;
  inputs: Record<string, unknown>;
}

export interface Invocation {
  token: string;
  inputs: Record<string, unknown>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

type Callback = (err: unknown, res: unknown) => void;
interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

/** Fake Aiven state for a service registration: what the aiven provider would return. */
export function fakeServiceState(inputs: Record<string, unknown>): Record<string, unknown> {
  const name = String(inputs.serviceName);
  const host = `${name}-${String(inputs.project)}.aivencloud.com`;
  return {
    ...inputs,
    cloudName: inputs.cloudName ?? "google-europe-west1",
    serviceHost: host,
    servicePort: 12691,
    serviceUri: `rediss://default:pw-${name}@${host}:12691`,
    state: "RUNNING",
  };
}

/**
 * Installs Pulumi mocks that record every registration (with parent, dependencies and options,
 * which the mock API does not pass on) and every invoke. `invokes` answers data-source calls.
 */
export async function installRecordingMocks(options: {
  project?: string;
  stack?: string;
  preview?: boolean;
  invokes?: (call: Invocation) => Record<string, unknown>;
}) {
  const registrations: Registration[] = [];
  const invocations: Invocation[] = [];
  let pending = 0;
  let inputsByName = new Map<string, Record<string, unknown>>();

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        inputsByName.set(`${args.type}::${args.name}`, args.inputs);
        const isService = args.type === "aiven:index/valkey:Valkey" || args.type === "aiven:index/redis:Redis";
        const state = isService ? fakeServiceState(args.inputs) : { ...args.inputs, ...dynamicOutputs(args.type) };
        return { id: args.custom ? `${args.name}-id` : undefined, state };
      },
      call(args) {
        const call = { token: args.token, inputs: args.inputs };
        invocations.push(call);
        return options.invokes ? options.invokes(call) : {};
      },
    },
    options.project ?? "project",
    options.stack ?? "stack",
    options.preview ?? false,
  );

  const monitor = getMonitor() as unknown as PatchableMonitor;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req, callback) => {
    pending++;
    await original(req, (err, res) => {
      registrations.push({
        urn: (res as { getUrn(): string } | undefined)?.getUrn() ?? "",
        type: req.getType(),
        name: req.getName(),
        parentUrn: req.getParent(),
        dependencies: req.getDependenciesList(),
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        custom: req.getCustom(),
        inputs: inputsByName.get(`${req.getType()}::${req.getName()}`) ?? {},
      });
      pending--;
      callback(err, res);
    });
  };

  return {
    registrations,
    invocations,
    clear() {
      registrations.length = 0;
      invocations.length = 0;
      inputsByName = new Map();
    },
    /** Resolves once no registration has been in flight for a few event-loop turns. */
    async settle() {
      let quiet = 0;
      while (quiet < 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        quiet = pending === 0 ? quiet + 1 : 0;
      }
    },
  };
}

function dynamicOutputs(type: string): Record<string, unknown> {
  if (type.endsWith(":ReplicaPromotion")) return { integrationId: "integration-1", promotedAt: "2026-01-01T00:00:00.000Z" };
  if (type.endsWith(":PrimaryReadiness")) return { state: "RUNNING", backupCount: 1, liveReplicas: 0 };
  if (type.endsWith(":ReplicationCheck")) return { lagMs: {}, checkedAt: "2026-01-01T00:00:00.000Z" };
  return {};
}

/** The value of an Output, secret or not. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
