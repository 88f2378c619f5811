// The two ways `npm run demo` deploys its stack: the real Pulumi engine through the Automation API,
// or the offline harness. Both take the same program and config, so the demo's steps are the same.
import type { Stack } from "@pulumi/pulumi/automation";
import { runProgram, RunResult } from "../harness";
import { demoProgram } from "./demoProgram";
import { EngineCli, EngineWorkspace } from "./realEngine";

export const DEMO_PROJECT = "aiven-demo";
const LEGACY_REFRESH_DIFF = "PULUMI_ENABLE_LEGACY_REFRESH_DIFF";

export interface Deployer {
  /** `pulumi up` with this stack config; the stack outputs, secrets in plain text (never printed). */
  up(config: Record<string, string>): Promise<{ outputs: Record<string, unknown>; summary: string }>;
  /** `pulumi refresh`: the state takes what Aiven reports. */
  refresh(): Promise<void>;
  /** `pulumi destroy`. */
  destroy(): Promise<string>;
  close(): void;
}

interface Setting {
  emulatorUrl: string;
  token: string;
  log: (line: string) => void;
}

/** Counts by operation, `create 5, same 2`, leaving out the stack and provider resources. */
function summarize(ops: string[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op} ${n}`).join(", ") || "no resources";
}

export class EngineDeployer implements Deployer {
  private constructor(
    private readonly workspace: EngineWorkspace,
    private readonly stack: Stack,
    private readonly log: (line: string) => void,
  ) {}

  static async create(cli: EngineCli, setting: Setting): Promise<EngineDeployer> {
    const workspace = new EngineWorkspace(cli, { aivenWebUrl: setting.emulatorUrl, passphrase: "demo-passphrase" });
    const stack = await workspace.stack(DEMO_PROJECT, "dev", demoProgram, {}, { "aiven:apiToken": setting.token });
    return new EngineDeployer(workspace, stack, setting.log);
  }

  /** The engine's own lines, indented, without its progress dots; its outputs show secrets as [secret]. */
  private hooks() {
    const progress = /^(@ [a-z]+)?\.*$/;
    const onOutput = (text: string) =>
      text
        .split("\n")
        .filter((line) => !progress.test(line.trim()))
        .forEach((line) => this.log(`   | ${line}`));
    return { onOutput };
  }

  async up(config: Record<string, string>) {
    for (const [key, value] of Object.entries(config)) await this.stack.setConfig(key, { value });
    const result = await this.stack.up(this.hooks());
    const outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, output]) => [key, output.value]));
    const changes = result.summary.resourceChanges ?? {};
    return { outputs, summary: summarize(Object.entries(changes).flatMap(([op, n]) => Array<string>(n).fill(op))) };
  }

  async refresh(): Promise<void> {
    try {
      await this.stack.refresh(this.hooks());
    } catch (e) {
      // After a promotion the program did not declare (here: the emulator promoted the replicas of
      // the failed primary), Aiven's provider refuses the refresh diff of the replica's
      // service_integrations. The legacy refresh diff compares outputs only.
      if (!/service_integrations/.test(e instanceof Error ? e.message : String(e))) throw e;
      this.log(`refresh refused by Aiven's provider after an undeclared promotion; again with ${LEGACY_REFRESH_DIFF}=true`);
      const env = this.stack.workspace.envVars;
      env[LEGACY_REFRESH_DIFF] = "true";
      try {
        await this.stack.refresh(this.hooks());
      } finally {
        delete env[LEGACY_REFRESH_DIFF];
      }
    }
  }

  async destroy(): Promise<string> {
    const result = await this.stack.destroy(this.hooks());
    return summarize(Object.entries(result.summary.resourceChanges ?? {}).flatMap(([op, n]) => Array<string>(n).fill(op)));
  }

  close(): void {
    this.workspace.cleanup();
  }
}

export class HarnessDeployer implements Deployer {
  private previous?: RunResult;
  private refreshNext = false;

  constructor(private readonly setting: Setting) {}

  private async run(program: () => Promise<Record<string, unknown> | void>, config: Record<string, string>): Promise<RunResult> {
    const { emulatorUrl, token, log } = this.setting;
    const refresh = this.refreshNext;
    this.refreshNext = false;
    this.previous = await runProgram(program, { emulatorUrl, token, project: DEMO_PROJECT, config, previous: this.previous, refresh, log, servicePollMs: 500 });
    return this.previous;
  }

  private static summary(result: RunResult): string {
    return summarize(result.resources.filter((r) => r.custom).map((r) => r.action));
  }

  async up(config: Record<string, string>) {
    const result = await this.run(demoProgram, config);
    return { outputs: result.outputs, summary: HarnessDeployer.summary(result) };
  }

  /** The harness reads the state back at the start of its next run, as `pulumi up --refresh` does. */
  async refresh(): Promise<void> {
    this.refreshNext = true;
    this.setting.log("the harness refreshes at the start of the next run");
  }

  /** An empty program: everything the stack held is deleted, as `pulumi destroy` does. */
  async destroy(): Promise<string> {
    const result = await this.run(async () => ({}), {});
    return HarnessDeployer.summary(result);
  }

  close(): void {}
}
