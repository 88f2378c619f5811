// runProgram: one `pulumi up` of a program without the Pulumi CLI; index.ts says what that covers.
import * as pulumi from "@pulumi/pulumi";
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { AivenClient } from "../provider/aivenClient";
import { Applied, applyService, readService, serviceTypeOf } from "./aivenServices";
import { DynamicProviderHost } from "./dynamicProviderHost";
import { DeployError, Program, ResourceRecord, RunOptions, RunResult } from "./types";

type Props = Record<string, unknown>;
const STACK = "dev";
// A failed registration is never answered: a rejection would fail each resource that depends on it again.
const neverAnswered = () => new Promise<never>(() => undefined);

/** Runs one deployment of `program`; call again with `previous` for the next `pulumi up`. */
export async function runProgram(program: Program, options: RunOptions): Promise<RunResult> {
  const { project = "offline", refresh = false, log = () => undefined } = options;
  const withToken = { ...options.config, "aiven:apiToken": options.token };
  const config = Object.fromEntries(Object.entries(withToken).map(([k, v]) => [k.includes(":") ? k : `${project}:${k}`, v]));
  const client = new AivenClient({ ...options.clientTuning, token: options.token, apiUrl: options.emulatorUrl });
  const urn = (r: { type: string; name: string }) => `urn:pulumi:${STACK}::${project}::${r.type}::${r.name}`;
  const prior = new Map((options.previous?.resources ?? []).filter((r) => r.action !== "delete").map((r) => [urn(r), r]));
  const result: RunResult = { resources: [], outputs: {}, logs: [] };
  const errors: string[] = [];
  const replaced: ResourceRecord[] = [];
  // After a failure nothing new starts, as in the engine; the run stops once nothing is in flight.
  let inFlight = 0;
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const fail = (what: string) => (e: unknown) => {
    errors.push(`${what}${e instanceof Error ? e.message : String(e)}`);
    if (inFlight === 0) stop();
  };
  // `pulumi.log` in the host falls back to printing `<severity>: [runtime] <message>`.
  const hostLine = (line: string) => {
    const [, severity = "info", message = line] = /^(info|warning|error): \[runtime\] (.*)$/.exec(line) ?? [];
    if (!line.trim()) return;
    result.logs.push(message);
    log(severity === "info" ? `   ${message}` : `${severity}: ${message}`);
  };
  // `pulumi` gives its Aiven plugin AIVEN_WEB_URL from its environment; so does the harness, and to the host.
  const previousWebUrl = process.env.AIVEN_WEB_URL;
  process.env.AIVEN_WEB_URL = options.emulatorUrl;
  // Started at once, as the engine loads its plugins: its start-up overlaps the first service builds.
  const dynamicHost = DynamicProviderHost.start(config, project, STACK, hostLine);
  dynamicHost.catch(() => undefined); // a failed start fails the first dynamic resource
  const record = (entry: ResourceRecord) => {
    result.resources.push(entry);
    if (entry.custom) log(`${entry.action.padEnd(7)} ${shortType(entry.type)} ${entry.name}`);
  };

  // Check, then create, or diff and update or replace, as the engine drives a dynamic resource.
  async function applyDynamic(args: pulumi.runtime.MockResourceArgs, news: Props, old?: ResourceRecord): Promise<Applied> {
    const host = await dynamicHost;
    const at = urn(args);
    let state = old && { id: old.id ?? "", props: old.outputs };
    if (state && refresh) state = await host.read(state.id, at, state.props);
    const checked = await host.check(at, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => `${args.name}: ${f}`).join("\n"));
    if (!state) return { ...(await host.create(at, checked.inputs)), action: "create" };
    const diff = await host.diff(state.id, at, state.props, checked.inputs);
    if (diff.replaces) return { ...(await host.create(at, checked.inputs)), action: "replace" };
    if (!diff.changes) return { ...state, action: "same" };
    return { ...(await host.update(state.id, at, state.props, checked.inputs)), action: "update" };
  }

  async function newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    if (errors.length > 0) return neverAnswered();
    const { type, name, custom = false } = args;
    const inputs = unwrapSecrets(args.inputs as Props);
    const old = prior.get(urn(args));
    inFlight++;
    try {
      if (!custom) {
        record({ type, name, custom, inputs: {}, outputs: {}, action: old ? "same" : "create" });
        return { id: undefined, state: {} };
      }
      const serviceType = serviceTypeOf(type);
      if (!serviceType && !type.startsWith("pulumi-nodejs:dynamic")) throw new Error(`the offline harness does not emulate ${type}`);
      const done = serviceType ? await applyService(client, options, serviceType, inputs as never, old) : await applyDynamic(args, inputs, old);
      if (done.action === "replace") replaced.push(old!);
      record({ type, name, custom, id: done.id, inputs, outputs: done.props, action: done.action });
      return { id: done.id, state: done.props };
    } catch (e) {
      fail(`${type} ${name}: `)(e);
      return neverAnswered();
    } finally {
      if (--inFlight === 0 && errors.length > 0) stop();
    }
  }

  async function call(args: pulumi.runtime.MockCallArgs): Promise<Props> {
    if (!serviceTypeOf(args.token)) throw new Error(`the offline harness does not emulate ${args.token}`);
    return readService(client, unwrapSecrets(args.inputs as Props)).catch((e: unknown) => (fail(`${args.token}: `)(e), neverAnswered()));
  }

  /** Deletes a resource of the last run; after a failure, nothing more is deleted. */
  async function deleteOld(old: ResourceRecord): Promise<void> {
    if (errors.length > 0) return;
    try {
      if (serviceTypeOf(old.type)) await client.deleteService(String(old.inputs.project), String(old.inputs.serviceName));
      else await (await dynamicHost).delete(old.id ?? "", urn(old), old.outputs);
      record({ ...old, action: "delete" });
    } catch (e) {
      fail(`${old.type} ${old.name}: `)(e);
    }
  }

  try {
    await pulumi.runtime.setMocks({ newResource, call }, project, STACK, false);
    pulumi.runtime.setAllConfig(config, ["aiven:apiToken"]);
    // The program's own error is caught inside the stack, so that the stack resource does not fail with it again.
    const stackRun = pulumi.runtime.runInPulumiStack(() => Promise.resolve().then(program).catch(fail("")).then((outputs) => outputs ?? {}));
    const outputs = await Promise.race([stopped, stackRun.catch(fail(""))]);
    if (outputs && errors.length === 0) result.outputs = unwrapSecrets(outputs as Props);
    await Promise.race([stopped, pulumi.runtime.disconnect()]); // every registration answered
    // What the program no longer declares goes, last created first; then what it replaced (the engine's delete-replaced).
    const gone = [...prior.values()].filter((r) => r.custom && !result.resources.some((n) => urn(n) === urn(r)));
    for (const old of [...gone.reverse(), ...replaced.reverse()]) await deleteOld(old);
  } finally {
    pulumi.runtime.disconnectSync();
    // Else a failed run's never-answered registrations are leaked promises to the next Pulumi program in this process.
    pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
    await dynamicHost.then((h) => h.close(), () => undefined);
    if (previousWebUrl === undefined) delete process.env.AIVEN_WEB_URL;
    else process.env.AIVEN_WEB_URL = previousWebUrl;
  }
  if (errors.length > 0) throw new DeployError(errors, result);
  return result;
}

/** The plain value of a property bag from the mock monitor: secrets unwrapped, recursively. */
function unwrapSecrets<T>(value: T): T {
  const plain: unknown = unwrapRpcSecret(value);
  if (plain === null || typeof plain !== "object") return plain as T;
  if (Array.isArray(plain)) return plain.map(unwrapSecrets) as T;
  return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
}

const shortType = (type: string) => type.replace(/^pulumi-nodejs:dynamic\/aiven-read-replicas:/, "").replace(/^aiven:index\/\w+:/, "aiven.");
