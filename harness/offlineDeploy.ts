// An offline stand-in for the Pulumi engine: runs a program under Pulumi's mock runtime and does
// what the engine and the providers would do, against the Aiven API emulator (or any Aiven URL).
import * as pulumi from "@pulumi/pulumi";
import * as pulumiLog from "@pulumi/pulumi/log";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { AivenClient } from "../provider/aivenClient";
import { setProviderClientTuning } from "../provider/dynamicCommon";
import { applyService, PriorState, readService, SERVICE_INVOKES, SERVICE_RESOURCE_TYPES } from "./aivenProviderCalls";
import { DynamicRunner, PROVIDER_KEY, strip } from "./dynamicRunner";
import { captureIgnoreChanges } from "./registrationOptions";
import { unwrapSecrets } from "./secrets";
import { Action, DeployError, LogRecord, Program, ResourceRecord, RunOptions, RunResult } from "./types";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const SYMBOLS: Record<Action, string> = { create: "+", update: "~", same: " ", replace: "+-", read: ">", delete: "-" };

// Serialized providers of recorded dynamic resources, kept out of the records to keep them readable.
const serializedProviders = new WeakMap<ResourceRecord, string>();

/** Runs one deployment of `program`; call again with `previous` for the next `pulumi up`. */
export async function runProgram(program: Program, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const project = options.project ?? "offline";
  const stack = options.stack ?? "dev";
  const log = options.log ?? (() => undefined);
  const config = namespaced({ ...options.config, "aiven:apiToken": options.token }, project);
  const client = new AivenClient({ ...options.clientTuning, token: options.token, apiUrl: options.emulatorUrl });
  const dynamic = new DynamicRunner(config, project);
  const wait = { pollMs: options.servicePollMs ?? 100, timeoutMs: options.serviceTimeoutMs ?? 600_000, log };
  const prior = new Map((options.previous?.resources ?? []).filter((r) => r.action !== "delete").map((r) => [key(r.type, r.name), r]));

  const result: RunResult = { project, stack, resources: [], outputs: {}, logs: [], durationMs: 0 };
  const errors: string[] = [];
  // Create-before-delete, as the engine does: the old state of each replaced resource, deleted
  // last and only after success; after a failure, pending deletes for the next run.
  const replaced: ResourceRecord[] = [];
  let inFlight = 0;

  const record = (entry: Omit<ResourceRecord, "durationMs">, since: number, serialized?: unknown): ResourceRecord => {
    const done = { ...entry, durationMs: Date.now() - since };
    result.resources.push(done);
    if (typeof serialized === "string") serializedProviders.set(done, serialized);
    if (entry.custom) log(`${SYMBOLS[entry.action].padEnd(2)} ${entry.action.padEnd(7)} ${shortType(entry.type)} ${entry.name}${timing(done)}`);
    return done;
  };

  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const since = Date.now();
        const inputs = unwrapSecrets(args.inputs as Record<string, unknown>);
        const old = prior.get(key(args.type, args.name));
        const ignore = ignoreChanges.get(key(args.type, args.name)) ?? [];
        inFlight++;
        try {
          if (args.type === STACK_REFERENCE) {
            const outputs = stackReferenceOutputs(String(inputs.name ?? args.id ?? args.name), options.stackOutputs);
            record({ type: args.type, name: args.name, id: args.name, custom: true, inputs, outputs: { name: inputs.name, outputs }, action: "read" }, since);
            return { id: args.name, state: { name: inputs.name ?? args.name, outputs, secretOutputNames: [] } };
          }
          if (!args.custom) {
            record({ type: args.type, name: args.name, custom: false, inputs: {}, outputs: {}, action: old ? "same" : "create" }, since);
            return { id: undefined, state: {} };
          }
          const serviceType = SERVICE_RESOURCE_TYPES[args.type];
          if (serviceType) {
            const done = await applyService(client, serviceType, inputs, old, options.refresh ?? false, wait, ignore);
            if (done.replaced && old) replaced.push(old);
            record({ type: args.type, name: args.name, id: done.id, custom: true, inputs: done.inputs, outputs: done.state, action: done.action }, since);
            return { id: done.id, state: done.state };
          }
          if (args.type.startsWith(DYNAMIC_PREFIX)) {
            const done = await dynamic.apply(args.name, inputs, old, options.refresh ?? false, ignore);
            if (done.action === "replace" && old) replaced.push(old);
            const entry = { type: args.type, name: args.name, id: done.id, custom: true, inputs: strip(done.inputs), outputs: done.outputs, action: done.action };
            record(entry, since, inputs[PROVIDER_KEY]);
            return { id: done.id, state: { ...done.outputs, [PROVIDER_KEY]: inputs[PROVIDER_KEY] } };
          }
          throw new Error(`the offline harness does not emulate resources of type ${args.type}`);
        } catch (e) {
          errors.push(`${args.type} ${args.name}: ${messageOf(e)}`);
          return neverAnswer();
        } finally {
          inFlight--;
        }
      },
      async call(args) {
        const serviceType = SERVICE_INVOKES[args.token];
        if (!serviceType) throw new Error(`the offline harness does not emulate ${args.token}`);
        try {
          return await readService(client, serviceType, unwrapSecrets(args.inputs as Record<string, unknown>));
        } catch (e) {
          errors.push(`${args.token}: ${messageOf(e)}`);
          return neverAnswer();
        }
      },
    },
    project,
    stack,
    false,
  );
  // The engine applies each registration's ignoreChanges; the mock API does not pass options on.
  const ignoreChanges = captureIgnoreChanges(key);
  pulumi.runtime.setAllConfig(config, ["aiven:apiToken"]);

  const restoreLog = captureLogs(result.logs, log);
  if (options.clientTuning) setProviderClientTuning(options.clientTuning);
  // The engine's Aiven plugin reads AIVEN_WEB_URL from the environment `pulumi` runs in.
  const restoreEnv = withAivenWebUrl(options.emulatorUrl);
  const recordRunError = (reason: unknown) => {
    if (!errors.some((e) => e.endsWith(messageOf(reason)))) errors.push(messageOf(reason));
  };
  // After a failure the engine stops: nothing that depends on the failed resource runs.
  let finished = false;
  const stopped = quietAfterFailure(() => errors.length > 0 && inFlight === 0, () => finished);
  try {
    // The engine retires the pending deletes of a failed update before anything else.
    const pending = await deleteReplaced(options.previous?.pendingDeletes ?? [], dynamic, client, log);
    if (pending.error !== undefined) {
      errors.push(pending.error);
      result.pendingDeletes = pending.left;
    } else {
      await runAndDelete();
    }
  } finally {
    finished = true;
    if (options.clientTuning) setProviderClientTuning(undefined);
    restoreEnv();
    restoreLog();
  }
  result.durationMs = Date.now() - started;
  if (errors.length > 0) throw new DeployError(errors, result);
  return result;

  async function runAndDelete(): Promise<void> {
    let programError: unknown;
    const outputs = await Promise.race([stopped, pulumi.runtime
      .runInPulumiStack(async () => {
        try {
          return (await program()) ?? {};
        } catch (e) {
          // Caught here so that the stack resource does not fail with it a second time.
          programError = e;
          return {};
        }
      })
      .catch(recordRunError)]);
    if (programError !== undefined) errors.push(messageOf(programError));
    else if (outputs) result.outputs = unwrapSecrets(outputs as Record<string, unknown>);
    await Promise.race([stopped, (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs()]);
    // A turn for rejections of the last registrations to surface.
    await new Promise((resolve) => setImmediate(resolve));
    if (errors.length > 0) {
      if (replaced.length > 0) result.pendingDeletes = replaced;
      return;
    }
    await deleteRemoved(options.previous, result, dynamic, client, record);
    // Last replaced first: a dependent goes before what it depends on.
    const left = await deleteReplaced([...replaced].reverse(), dynamic, client, log);
    if (left.error !== undefined) {
      errors.push(left.error);
      result.pendingDeletes = left.left;
    }
  }
}

/** Deletes replaced resources in order; on a failure, the error and what is left to delete. */
async function deleteReplaced(
  records: ResourceRecord[],
  dynamic: DynamicRunner,
  client: AivenClient,
  log: (line: string) => void,
): Promise<{ error?: string; left: ResourceRecord[] }> {
  for (const [i, old] of records.entries()) {
    try {
      const since = Date.now();
      await deleteResource(old, dynamic, client);
      log(`${SYMBOLS.delete.padEnd(2)} ${"delete".padEnd(7)} ${shortType(old.type)} ${old.name} (replaced, ${((Date.now() - since) / 1000).toFixed(1)}s)`);
    } catch (e) {
      return { error: `${old.type} ${old.name} (replaced): ${messageOf(e)}`, left: records.slice(i) };
    }
  }
  return { left: [] };
}

/** Deletes one resource of a previous run; dynamic ones with the provider their state recorded. */
async function deleteResource(old: ResourceRecord, dynamic: DynamicRunner, client: AivenClient): Promise<void> {
  if (SERVICE_RESOURCE_TYPES[old.type]) {
    await client.deleteService(String(old.inputs.project), String(old.inputs.serviceName));
  } else if (old.type.startsWith(DYNAMIC_PREFIX)) {
    await dynamic.delete(old.id ?? "", old.outputs, serializedProviders.get(old));
  }
}

/** Resources of the previous run that this run did not declare are deleted, last created first. */
async function deleteRemoved(
  previous: RunResult | undefined,
  result: RunResult,
  dynamic: DynamicRunner,
  client: AivenClient,
  record: (entry: Omit<ResourceRecord, "durationMs">, since: number) => ResourceRecord,
): Promise<void> {
  const declared = new Set(result.resources.map((r) => key(r.type, r.name)));
  const gone = (previous?.resources ?? []).filter((r) => r.action !== "delete" && r.custom && !declared.has(key(r.type, r.name)));
  for (const old of gone.reverse()) {
    const since = Date.now();
    await deleteResource(old, dynamic, client);
    if (old.type !== STACK_REFERENCE) record({ ...old, action: "delete" }, since);
  }
}

/** Sets AIVEN_WEB_URL for the run; returns what puts the previous value (or its absence) back. */
function withAivenWebUrl(url: string): () => void {
  const had = Object.prototype.hasOwnProperty.call(process.env, "AIVEN_WEB_URL");
  const before = process.env.AIVEN_WEB_URL;
  process.env.AIVEN_WEB_URL = url;
  return () => {
    if (had) process.env.AIVEN_WEB_URL = before;
    else delete process.env.AIVEN_WEB_URL;
  };
}

/** pulumi.log goes to the engine; here it goes to the run's log. */
function captureLogs(logs: LogRecord[], log: (line: string) => void): () => void {
  const writable = pulumiLog as unknown as Record<"info" | "warn" | "error", (msg: string, ...rest: unknown[]) => Promise<void>>;
  const original = { info: writable.info, warn: writable.warn, error: writable.error };
  const to = (severity: LogRecord["severity"]) => async (message: string) => {
    logs.push({ severity, message });
    log(severity === "info" ? `   ${message}` : `${severity}: ${message}`);
  };
  writable.info = to("info");
  writable.warn = to("warning");
  writable.error = to("error");
  return () => Object.assign(writable, original);
}

function stackReferenceOutputs(name: string, stacks: RunOptions["stackOutputs"]): Record<string, unknown> {
  const found = stacks?.[name] ?? stacks?.[name.split("/").pop() ?? name];
  if (!found) throw new Error(`no outputs for stack '${name}'; pass them in stackOutputs`);
  return "resources" in found && "outputs" in found ? (found as RunResult).outputs : (found as Record<string, unknown>);
}

function namespaced(config: Record<string, string | undefined>, project: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k.includes(":") ? k : `${project}:${k}`] = v;
  return out;
}

/**
 * What a failed registration answers: nothing, ever. Rejecting would fail every dependent through
 * unhandled rejections (which the language host reports, and a test runner treats as crashes).
 */
function neverAnswer(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** Resolves once `done` has held for a few consecutive checks, or when `cancelled`. */
async function quietAfterFailure(done: () => boolean, cancelled: () => boolean): Promise<void> {
  for (let quiet = 0; quiet < 5 && !cancelled(); quiet = done() ? quiet + 1 : 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const key = (type: string, name: string) => `${type}::${name}`;
const shortType = (type: string) => type.replace(/^pulumi-nodejs:dynamic\/aiven-read-replicas:/, "").replace(/^aiven:index\/\w+:/, "aiven.");
const timing = (r: ResourceRecord) => (r.action === "same" ? "" : ` (${(r.durationMs / 1000).toFixed(1)}s)`);

/**
 * Duck-typed. A serialized provider's Error subclasses lose their message: serializeFunction turns
 * `super(message)` into `Error.call(this, message)`, which leaves `this` untouched.
 */
function messageOf(e: unknown): string {
  const error = e as { message?: unknown; name?: unknown } | null;
  if (typeof error?.message === "string" && error.message !== "") return error.message;
  if (error !== null && typeof error === "object") return `${String(error.name ?? "error")} ${JSON.stringify(error)}`;
  return String(e);
}
