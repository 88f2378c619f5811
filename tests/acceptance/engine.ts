// The real Pulumi engine for the acceptance stage: the toolchain's CLI driven through the
// Automation API with inline programs (the Node language runtime runs in this process), a file
// backend in a temp dir, and the offline settings every plugin needs.
import { EngineEvent, InlineProgramArgs, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { findToolchain } from "./toolchain";

export const PASSPHRASE = "acceptance-passphrase";
export const LEGACY_REFRESH_DIFF = "PULUMI_ENABLE_LEGACY_REFRESH_DIFF";
const execFileAsync = promisify(execFile);
// Read by ./engineEnvironment.js: the inline program's unhandled rejections are the engine's to report.
const ENGINE_OPERATION = Symbol.for("aiven-read-replicas/acceptance-engine-operation");

export const toolchain = findToolchain();

/** Why a group of tests cannot run here, or undefined. */
export function skipReason(needs: { aivenPlugin?: boolean } = {}): string | undefined {
  if (!toolchain.found) return `the Pulumi CLI toolchain is not available: ${toolchain.reason}`;
  return needs.aivenPlugin ? toolchain.aivenPluginMissing : undefined;
}

/** `describe` when the toolchain is there, `describe.skip` with the reason printed otherwise. */
export function describeEngine(name: string, body: () => void, needs: { aivenPlugin?: boolean } = {}): void {
  const reason = skipReason(needs);
  if (reason !== undefined) {
    // Straight to stderr: jest drops console output of a file whose tests are all skipped.
    process.stderr.write(`acceptance: skipped "${name}": ${reason}\n`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

export interface EngineContext {
  /** The file backend (state, history, backups): every file the engine writes about a stack. */
  backendDir: string;
  /** The LocalWorkspace directory: Pulumi.yaml and Pulumi.<stack>.yaml. */
  workDir: string;
  /** Environment of every CLI run and every plugin it starts. */
  env: Record<string, string>;
  /** Everything the engine printed (stdout, stderr) and every `pulumi stack export`, for secret scans. */
  transcript: string[];
  /** Every engine event of every operation, for secret scans. */
  events: EngineEvent[];
  /** Another work dir on the same backend, for a second project (e.g. a stack that reads this one's outputs). */
  newWorkDir(): string;
  cleanup(): void;
}

/**
 * A backend and work dir in a temp dir. The dynamic-provider plugin starts in the work dir and
 * finds @pulumi/pulumi (and what the serialized providers require) through the toolchain's NODE_PATH.
 */
export function engineContext(aivenWebUrl: string, extraEnv: Record<string, string> = {}): EngineContext {
  if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "aiven-acceptance-"));
  const backendDir = path.join(base, "backend");
  fs.mkdirSync(backendDir);
  const newWorkDir = () => fs.mkdtempSync(path.join(base, "work-"));
  const env: Record<string, string> = {
    ...toolchain.env,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    AIVEN_WEB_URL: aivenWebUrl,
    // Empty, so that a token in the environment of the test run cannot stand in for the one under test.
    AIVEN_TOKEN: "",
    ...extraEnv,
  };
  return {
    backendDir,
    workDir: newWorkDir(),
    env,
    transcript: [],
    events: [],
    newWorkDir,
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

export interface Run {
  stdout: string;
  events: EngineEvent[];
  /** Diagnostics (warnings, errors, info logs) the engine reported, with their severity. */
  diagnostics: Array<{ severity: string; message: string; urn?: string }>;
  /** op by URN for every resource step of the run (create, update, same, replace, delete, refresh, …). */
  steps: Array<{ op: string; urn: string; type: string }>;
}

/** A stack of an inline program, every operation recorded in `transcript`. */
export class EngineStack {
  private constructor(
    readonly stack: Stack,
    private readonly ctx: EngineContext,
    private readonly workDir: string,
  ) {}

  static async create(
    ctx: EngineContext,
    args: InlineProgramArgs,
    settings: { config?: Record<string, string>; secrets?: Record<string, string>; workDir?: string } = {},
  ): Promise<EngineStack> {
    if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
    const pulumiCommand = await PulumiCommand.get({ root: toolchain.root, skipVersionCheck: true });
    const workDir = settings.workDir ?? ctx.workDir;
    const stack = await LocalWorkspace.createOrSelectStack(args, { workDir, envVars: ctx.env, pulumiCommand });
    const { config = {}, secrets = {} } = settings;
    for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value });
    for (const [key, value] of Object.entries(secrets)) await stack.setConfig(key, { value, secret: true });
    return new EngineStack(stack, ctx, workDir);
  }

  get name(): string {
    return this.stack.name;
  }

  /** Runs one engine operation, collecting its output and events into the transcript. */
  private async recorded<T>(op: (hooks: { onOutput: (s: string) => void; onError: (s: string) => void; onEvent: (e: EngineEvent) => void }) => Promise<T>): Promise<{ result: T; run: Run }> {
    const out: string[] = [];
    const events: EngineEvent[] = [];
    const hooks = {
      onOutput: (s: string) => out.push(s),
      onError: (s: string) => out.push(s),
      onEvent: (e: EngineEvent) => events.push(e),
    };
    const finish = () => {
      const run = toRun(out.join(""), events);
      this.ctx.transcript.push(run.stdout);
      this.ctx.events.push(...events);
      return run;
    };
    const flags = globalThis as unknown as Record<symbol, boolean>;
    flags[ENGINE_OPERATION] = true;
    try {
      const result = await op(hooks);
      return { result, run: finish() };
    } catch (e) {
      const run = finish();
      throw new EngineRunError(e, run);
    } finally {
      flags[ENGINE_OPERATION] = false;
    }
  }

  async up(extra: { signal?: AbortSignal } = {}) {
    return this.recorded((hooks) => this.stack.up({ ...hooks, ...extra }));
  }

  async preview() {
    return this.recorded((hooks) => this.stack.preview(hooks));
  }

  /**
   * `pulumi refresh`. `legacyDiff` sets PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true for it: the refresh
   * then compares outputs only, instead of asking each provider to diff the refreshed state against
   * the declared inputs (which Aiven's provider refuses for a promoted replica).
   */
  async refresh(options: { legacyDiff?: boolean } = {}) {
    const env = this.stack.workspace.envVars;
    if (options.legacyDiff) env[LEGACY_REFRESH_DIFF] = "true";
    try {
      return await this.recorded((hooks) => this.stack.refresh(hooks));
    } finally {
      delete env[LEGACY_REFRESH_DIFF];
    }
  }

  async destroy() {
    return this.recorded((hooks) => this.stack.destroy(hooks));
  }

  async setConfig(key: string, value: string, options: { path?: boolean; secret?: boolean } = {}): Promise<void> {
    await this.stack.setConfig(key, { value, secret: options.secret }, options.path);
  }

  async removeConfig(key: string): Promise<void> {
    await this.stack.removeConfig(key);
  }

  /**
   * `pulumi stack export`, as text, run as a user would. (The Automation API's exportStack passes
   * --show-secrets: it decrypts every secret.)
   */
  async exportText(): Promise<string> {
    if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
    const { stdout } = await execFileAsync(toolchain.pulumiBin, ["stack", "export", "--stack", this.stack.name], {
      cwd: this.workDir,
      env: { ...process.env, ...this.ctx.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    this.ctx.transcript.push(stdout);
    return stdout;
  }

  async outputs(): Promise<Record<string, { value: unknown; secret: boolean }>> {
    return this.stack.outputs();
  }
}

/** An engine operation that failed; `run` holds what the engine said before it did. */
export class EngineRunError extends Error {
  constructor(
    readonly cause: unknown,
    readonly run: Run,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export async function failedRun(promise: Promise<unknown>): Promise<EngineRunError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof EngineRunError) return e;
    throw e;
  }
  throw new Error("the engine operation succeeded, but it was expected to fail");
}

function toRun(stdout: string, events: EngineEvent[]): Run {
  const diagnostics = events.flatMap((e) => (e.diagnosticEvent ? [{ severity: e.diagnosticEvent.severity, message: e.diagnosticEvent.message, urn: e.diagnosticEvent.urn }] : []));
  const steps = events.flatMap((e) => (e.resOutputsEvent ? [{ op: e.resOutputsEvent.metadata.op, urn: e.resOutputsEvent.metadata.urn, type: e.resOutputsEvent.metadata.type }] : []));
  return { stdout, events, diagnostics, steps };
}

/**
 * Steps of resources that did something other than stay the same. The stack and the provider
 * resources are left out: the engine passes the whole stack config to the dynamic-provider plugin,
 * so its default provider shows an `update` whenever any config value changes.
 */
export function changes(run: Run): Array<{ op: string; urn: string }> {
  return run.steps
    .filter((s) => s.op !== "same" && s.type !== "pulumi:pulumi:Stack" && !s.type.startsWith("pulumi:providers:"))
    .map(({ op, urn }) => ({ op, urn }));
}

/** Every replace step of the run, provider resources included: none is expected anywhere. */
export function replacements(run: Run): string[] {
  return run.steps.filter((s) => /replace/.test(s.op)).map((s) => `${s.op} ${s.urn}`);
}

/** The logical name at the end of a URN. */
export function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Every file under `dir`, as text (the backend's state, history and backups; the work dir's config). */
export function filesUnder(dir: string): Array<{ file: string; text: string }> {
  const found: Array<{ file: string; text: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (entry.isFile()) found.push({ file: full, text: fs.readFileSync(full).toString("latin1") });
  }
  return found;
}

// The Node SDK logs each resource RPC's full response as a debug diagnostic, secret values
// included in plain text (only wrapped in Pulumi's secret signature). The CLI shows debug
// diagnostics only with --debug, but they are in its event stream (`--event-log`, which the
// Automation API reads from a temp file).
const SDK_RPC_DEBUG = /^(RegisterResource|ReadResource|RegisterResourceOutputs|getResource Invoke|Invoke) RPC finished/;

/** The SDK's own RPC debug lines, apart from every other event. */
export function isSdkRpcDebug(event: EngineEvent): boolean {
  const diag = event.diagnosticEvent;
  // The typings list no "debug" severity, but the event stream carries it.
  return diag !== undefined && (diag.severity as string) === "debug" && SDK_RPC_DEBUG.test(diag.message);
}
