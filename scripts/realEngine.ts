// Which Pulumi engine `npm run demo` and `npm run bench:engine` can drive, and a throwaway file
// backend to drive it with through the Automation API (inline programs run in this process).
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { AIVEN_PLUGIN_VERSION, findToolchain, isExecutable, Toolchain } from "./findToolchain";

const execFileAsync = promisify(execFile);

/** A Pulumi CLI with Aiven's resource plugin, and the environment its runs need. */
export interface EngineCli {
  /** The directory holding bin/pulumi. */
  root: string;
  pulumiBin: string;
  /** Where it was found, for the user. */
  where: string;
  env: Record<string, string>;
}

export type EngineChoice = { engine: EngineCli } | { engine?: undefined; why: string };

/** The plugin @pulumi/aiven asks the engine for, under a PULUMI_HOME. */
export function aivenPluginPath(pulumiHome: string): string {
  return path.join(pulumiHome, "plugins", `resource-aiven-v${AIVEN_PLUGIN_VERSION}`, "pulumi-resource-aiven");
}

/**
 * The toolchain `npm run toolchain` builds, else a `pulumi` on PATH (with the plugins of its
 * PULUMI_HOME, ~/.pulumi by default). Either is used only with Aiven's plugin installed.
 */
export function chooseEngine(processEnv: NodeJS.ProcessEnv = process.env, toolchain: Toolchain = findToolchain(processEnv)): EngineChoice {
  if (toolchain.found) {
    if (toolchain.aivenPluginMissing) return { why: `the Pulumi CLI ${toolchain.pulumiBin} was found, but ${toolchain.aivenPluginMissing}` };
    return { engine: { root: toolchain.root, pulumiBin: toolchain.pulumiBin, where: `${toolchain.pulumiBin} (${toolchain.version})`, env: toolchain.env } };
  }
  const onPath = (processEnv.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, "pulumi")).find(isExecutable);
  if (onPath === undefined) return { why: `no Pulumi CLI on PATH, and ${toolchain.reason}` };
  const pulumiHome = processEnv.PULUMI_HOME || path.join(processEnv.HOME || os.homedir(), ".pulumi");
  const plugin = aivenPluginPath(pulumiHome);
  if (!isExecutable(plugin)) return { why: `the Pulumi CLI ${onPath} was found, but pulumi-resource-aiven ${AIVEN_PLUGIN_VERSION} is not installed in ${pulumiHome}` };
  const nodeModules = path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");
  return {
    engine: {
      root: path.dirname(path.dirname(onPath)),
      pulumiBin: onPath,
      where: onPath,
      env: {
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // The dynamic-provider plugin starts in an inline program's temp dir, without node_modules.
        NODE_PATH: [nodeModules, processEnv.NODE_PATH].filter(Boolean).join(path.delimiter),
      },
    },
  };
}

/** A file backend and work dirs in a temp dir, for stacks of inline programs. */
export class EngineWorkspace {
  readonly env: Record<string, string>;
  private readonly base: string;
  private command?: PulumiCommand;

  constructor(
    readonly cli: EngineCli,
    settings: { aivenWebUrl: string; passphrase: string; extraEnv?: Record<string, string> },
  ) {
    this.base = fs.mkdtempSync(path.join(os.tmpdir(), "aiven-engine-"));
    fs.mkdirSync(path.join(this.base, "backend"));
    this.env = {
      ...cli.env,
      PULUMI_BACKEND_URL: `file://${path.join(this.base, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: settings.passphrase,
      AIVEN_WEB_URL: settings.aivenWebUrl,
      // The token comes from the stack's secret config only.
      AIVEN_TOKEN: "",
      ...settings.extraEnv,
    };
  }

  /** A new stack of `program` (run in this process) in its own work dir, with plain and secret config set. */
  async stack(projectName: string, stackName: string, program: PulumiFn, config: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<Stack> {
    const workDir = fs.mkdtempSync(path.join(this.base, "work-"));
    const stack = await LocalWorkspace.createOrSelectStack({ projectName, stackName, program }, { workDir, envVars: this.env, pulumiCommand: await this.pulumiCommand() });
    return configured(stack, config, secrets);
  }

  /**
   * A new stack of the Pulumi project in `workDir` (its Pulumi.yaml and program): each operation
   * runs the program in a fresh process through the language host, as `pulumi up` does.
   */
  async projectStack(workDir: string, stackName: string, config: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { envVars: this.env, pulumiCommand: await this.pulumiCommand() });
    return configured(stack, config, secrets);
  }

  private async pulumiCommand(): Promise<PulumiCommand> {
    this.command ??= await PulumiCommand.get({ root: this.cli.root, skipVersionCheck: true });
    return this.command;
  }

  /** `pulumi stack export` as a user runs it: secrets stay ciphertext (the Automation API's export decrypts them). */
  async exportText(stack: Stack): Promise<string> {
    const { stdout } = await execFileAsync(this.cli.pulumiBin, ["stack", "export", "--stack", stack.name], {
      cwd: stack.workspace.workDir,
      env: { ...process.env, ...this.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  cleanup(): void {
    fs.rmSync(this.base, { recursive: true, force: true });
  }
}

async function configured(stack: Stack, config: Record<string, string>, secrets: Record<string, string>): Promise<Stack> {
  for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value });
  for (const [key, value] of Object.entries(secrets)) await stack.setConfig(key, { value, secret: true });
  return stack;
}
