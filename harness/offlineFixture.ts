// The offline harness: a fixture that deploys a Pulumi program without the Pulumi CLI, for the demo
// on a machine without one and for fast tests. It is not an engine. The program runs under Pulumi's
// mock runtime in this process; aiven.Valkey and aiven.Redis are created through the Aiven API as
// Aiven's provider creates them; dynamic resources run in Pulumi's own dynamic provider host. A run
// returns a RunResult, which the next run takes as `previous` in place of a state file. It creates,
// updates, replaces (the old one deleted after a successful run, else first thing in the next one),
// reads back with `refresh`, and deletes what a program stops declaring. It has none of the engine's
// finer rules: no ignoreChanges, previews, state files, secrets encryption, parallelism limits,
// StackReferences or other providers. Where it and the real engine differ, the engine is right:
// tests/acceptance/harnessParity.acceptance.ts runs the same flows through both.
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { AivenClient } from "../provider/aivenClient";
import { applyService, readService, SERVICE_TYPES } from "./aivenServices";
import { DynamicProviderHost } from "./dynamicProviderHost";
import { Action, DeployError, LogRecord, Program, ResourceRecord, RunOptions, RunResult } from "./types";

type Props = Record<string, unknown>;
const PROVIDER = "__provider";
const SYMBOLS: Record<Action, string> = { create: "+", update: "~", same: " ", replace: "+-", delete: "-" };
// The serialized provider of each dynamic resource recorded, kept out of the record to keep it readable.
const serializedProviders = new WeakMap<ResourceRecord, unknown>();

/** Runs one deployment of `program`; call again with `previous` for the next `pulumi up`. */
export async function runProgram(program: Program, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { project = "offline", stack = "dev", refresh = false, log = () => undefined } = options;
  const config = Object.fromEntries(Object.entries({ ...options.config, "aiven:apiToken": options.token }).map(([k, v]) => [k.includes(":") ? k : `${project}:${k}`, v]));
  const client = new AivenClient({ ...options.clientTuning, token: options.token, apiUrl: options.emulatorUrl });
  const wait = { pollMs: options.servicePollMs ?? 100, timeoutMs: options.serviceTimeoutMs ?? 600_000, log };
  const prior = new Map((options.previous?.resources ?? []).filter((r) => r.action !== "delete").map((r) => [key(r), r]));
  const result: RunResult = { project, stack, resources: [], outputs: {}, logs: [], durationMs: 0 };
  const [errors, replaced]: [string[], ResourceRecord[]] = [[], []];
  let inFlight = 0;
  const fail = (what: string) => (e: unknown) => void errors.push(`${what}${e instanceof Error ? e.message : String(e)}`);
  const logged = (entry: LogRecord) => {
    result.logs.push(entry);
    log(entry.severity === "info" ? `   ${entry.message}` : `${entry.severity}: ${entry.message}`);
  };
  // `pulumi.log` in the host falls back to printing `<severity>: [runtime] <message>`.
  const hostLine = (line: string) => {
    const [, severity = "info", message = line] = /^(info|warning|error): \[runtime\] (.*)$/.exec(line) ?? [];
    if (line.trim()) logged({ severity: severity as LogRecord["severity"], message });
  };
  let host: Promise<DynamicProviderHost> | undefined;
  const dynamicHost = () => (host ??= DynamicProviderHost.start(config, project, stack, hostLine));
  const urn = (r: { type: string; name: string }) => `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;
  const record = (entry: Omit<ResourceRecord, "durationMs">, since: number, serialized?: unknown) => {
    const done = { ...entry, durationMs: Date.now() - since };
    result.resources.push(done);
    if (serialized !== undefined) serializedProviders.set(done, serialized);
    if (entry.custom) log(`${SYMBOLS[entry.action].padEnd(2)} ${entry.action.padEnd(7)} ${shortType(entry.type)} ${entry.name}${entry.action === "same" ? "" : ` (${seconds(since)}s)`}`);
  };

  // Check, then create, or diff and update or replace, as the engine drives a dynamic resource.
  async function applyDynamic(name: string, at: string, news: Props, old: ResourceRecord | undefined): Promise<{ id: string; props: Props; action: Action }> {
    const host = await dynamicHost();
    let state: { id: string; props: Props } | undefined = old && { id: old.id ?? "", props: { ...old.outputs, [PROVIDER]: serializedProviders.get(old) } };
    if (state && refresh) state = await host.read(state.id, at, state.props);
    const checked = await host.check(at, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => `${name}: ${f}`).join("\n"));
    if (!state) return { ...(await host.create(at, checked.inputs)), action: "create" };
    const diff = await host.diff(state.id, at, state.props, checked.inputs);
    if (diff.replaces.length > 0) return { ...(await host.create(at, checked.inputs)), action: "replace" };
    if (!(diff.changes ?? JSON.stringify(old!.inputs) !== JSON.stringify(strip(checked.inputs)))) return { ...state, action: "same" };
    return { ...(await host.update(state.id, at, state.props, checked.inputs)), action: "update" };
  }

  async function newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    const since = Date.now();
    const inputs = unwrapSecrets(args.inputs as Props);
    const old = prior.get(key(args));
    const entry = { type: args.type, name: args.name, custom: true, inputs };
    inFlight++;
    try {
      if (!args.custom) {
        record({ ...entry, custom: false, inputs: {}, outputs: {}, action: old ? "same" : "create" }, since);
        return { id: undefined, state: {} };
      }
      const done = SERVICE_TYPES[args.type]
        ? await applyService(client, SERVICE_TYPES[args.type], inputs as never, old, refresh, wait).then((s) => ({ ...s, props: s.state }))
        : args.type.startsWith("pulumi-nodejs:dynamic")
          ? await applyDynamic(args.name, urn(args), inputs, old)
          : undefined;
      if (!done) throw new Error(`the offline harness does not emulate resources of type ${args.type}`);
      if (done.action === "replace") replaced.push(old!);
      record({ ...entry, id: done.id, inputs: strip(inputs), outputs: strip(done.props), action: done.action }, since, inputs[PROVIDER]);
      return { id: done.id, state: { ...done.props, ...(inputs[PROVIDER] ? { [PROVIDER]: inputs[PROVIDER] } : {}) } };
    } catch (e) {
      fail(`${args.type} ${args.name}: `)(e);
      return new Promise<never>(() => undefined); // never answered: a rejection would fail each dependent again
    } finally {
      inFlight--;
    }
  }

  async function call(args: pulumi.runtime.MockCallArgs): Promise<Props> {
    if (SERVICE_TYPES[args.token]) return readService(client, unwrapSecrets(args.inputs as Props)).catch((e) => (fail(`${args.token}: `)(e), new Promise<never>(() => undefined)));
    throw new Error(`the offline harness does not emulate ${args.token}`);
  }

  async function deleteResource(old: ResourceRecord): Promise<void> {
    if (SERVICE_TYPES[old.type]) await client.deleteService(String(old.inputs.project), String(old.inputs.serviceName));
    else if (serializedProviders.has(old)) await (await dynamicHost()).delete(old.id ?? "", urn(old), { ...old.outputs, [PROVIDER]: serializedProviders.get(old) });
  }

  /** Replaced resources, in order; after a failed delete, the ones left. */
  async function deleteReplaced(records: ResourceRecord[]): Promise<ResourceRecord[] | undefined> {
    for (const [i, old] of records.entries()) {
      const since = Date.now();
      const failed = await deleteResource(old).then(() => false, (e: unknown) => (fail(`${old.type} ${old.name} (replaced): `)(e), true));
      if (failed) return records.slice(i);
      log(`-  delete  ${shortType(old.type)} ${old.name} (replaced, ${seconds(since)}s)`);
    }
    return undefined;
  }

  async function runInStack(stopped: Promise<void>): Promise<void> {
    let programError: unknown;
    const run = pulumi.runtime.runInPulumiStack(async () => {
      try {
        return (await program()) ?? {};
      } catch (e) {
        programError = e; // caught here so that the stack resource does not fail with it a second time
        return {};
      }
    });
    const outputs = await Promise.race([stopped, run.catch(fail(""))]);
    if (programError !== undefined) fail("")(programError);
    else if (outputs) result.outputs = unwrapSecrets(outputs as Props);
    await Promise.race([stopped, pulumi.runtime.disconnect()]);
    await new Promise((resolve) => setImmediate(resolve)); // a turn for the last registrations' failures
  }

  // `pulumi` gives its Aiven plugin AIVEN_WEB_URL from its environment; so does the harness.
  const previousWebUrl = process.env.AIVEN_WEB_URL;
  process.env.AIVEN_WEB_URL = options.emulatorUrl;
  let finished = false;
  // After a failure the engine stops: nothing that depends on the failed resource runs.
  const stopped = (async () => {
    for (let quiet = 0; quiet < 5 && !finished; quiet = errors.length > 0 && inFlight === 0 ? quiet + 1 : 0) await new Promise((resolve) => setTimeout(resolve, 20));
  })();
  try {
    // Started at once, as the engine loads its plugins: its start-up overlaps the first service builds.
    dynamicHost().catch(() => undefined);
    await pulumi.runtime.setMocks({ newResource, call }, project, stack, false);
    pulumi.runtime.setAllConfig(config, ["aiven:apiToken"]);
    // The pending deletes of a failed run go before anything else, as the engine retires them.
    result.pendingDeletes = await deleteReplaced(options.previous?.pendingDeletes ?? []);
    if (!result.pendingDeletes) await runInStack(stopped);
    // What the last run had and this one did not declare goes, last created first.
    const gone = [...prior.values()].filter((r) => r.custom && !result.resources.some((n) => key(n) === key(r))).reverse();
    for (const old of errors.length === 0 ? gone : []) {
      const since = Date.now();
      await deleteResource(old).then(() => record({ ...old, action: "delete" }, since), fail(`${old.type} ${old.name}: `));
    }
    if (errors.length === 0) result.pendingDeletes = await deleteReplaced([...replaced].reverse());
    else if (!result.pendingDeletes && replaced.length > 0) result.pendingDeletes = replaced;
  } finally {
    finished = true;
    pulumi.runtime.disconnectSync();
    await host?.then((h) => h.close(), () => undefined);
    if (previousWebUrl === undefined) delete process.env.AIVEN_WEB_URL;
    else process.env.AIVEN_WEB_URL = previousWebUrl;
  }
  result.durationMs = Date.now() - started;
  if (errors.length > 0) throw new DeployError(errors, result);
  return result;
}

/** The plain value of a property bag from the mock monitor: secrets unwrapped, recursively. */
function unwrapSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(unwrapSecrets) as T;
  if (value === null || typeof value !== "object") return value;
  const bag = value as Props;
  if (bag[specialSigKey] === specialSecretSig) return unwrapSecrets(bag.value) as T;
  return Object.fromEntries(Object.entries(bag).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
}

const strip = ({ [PROVIDER]: _provider, ...rest }: Props): Props => rest;
const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const shortType = (type: string) => type.replace(/^pulumi-nodejs:dynamic\/aiven-read-replicas:/, "").replace(/^aiven:index\/\w+:/, "aiven.");
