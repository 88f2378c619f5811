/**
 * Finds the Pulumi toolchain that `npm run toolchain` builds (scripts/toolchain.sh), so the
 * acceptance tests, `npm run demo` and `npm run bench:engine` can drive the real CLI, or say why
 * they cannot.
 *
 *   const tc = findToolchain();
 *   if (!tc.found) return console.log(`acceptance skipped: ${tc.reason}`);
 *   const pulumiCommand = await PulumiCommand.get({ root: tc.root }); // runs tc.pulumiBin
 *   await LocalWorkspace.createOrSelectStack({ stackName, projectName, program }, {
 *     pulumiCommand,
 *     envVars: { ...tc.env, PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: "..." },
 *   });
 *
 * `env` holds PATH, PULUMI_HOME (where the plugins are installed), the offline settings, and
 * NODE_PATH: the CLI starts the dynamic-provider plugin in the program's directory, and an inline
 * program's directory is a temporary one without node_modules; NODE_PATH lets that plugin find
 * @pulumi/pulumi and every module a dynamic provider captured. The caller adds the state backend
 * and the passphrase. `aivenPluginMissing` / `languageHostMissing` say why pulumi-resource-aiven
 * or pulumi-language-nodejs is absent (undefined when installed): the language host runs Pulumi.yaml
 * project directories (LocalWorkspace with `workDir`); inline programs need only the CLI.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const AIVEN_PLUGIN_VERSION = "6.51.0";

export type Toolchain =
  | {
      found: true;
      version: string;
      root: string;
      pulumiBin: string;
      pulumiHome: string;
      env: Record<string, string>;
      aivenPluginMissing?: string;
      languageHostMissing?: string;
    }
  | { found: false; reason: string };

/** The source tree's root, from this file or from a compiled copy of it (dist-demo/, bench/.build/). */
function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "scripts", "toolchain", "go.mod"))) return dir;
  }
  throw new Error(`scripts/toolchain/go.mod not found above ${__dirname}`);
}

export function findToolchain(processEnv: NodeJS.ProcessEnv = process.env): Toolchain {
  const version = pinnedCliVersion();
  const cache =
    processEnv.AIVEN_RR_TOOLCHAIN_CACHE ||
    path.join(processEnv.XDG_CACHE_HOME || path.join(processEnv.HOME || os.homedir(), ".cache"), "aiven-read-replicas", "toolchain");
  const root = path.join(cache, version);
  const bin = path.join(root, "bin");
  const pulumiBin = path.join(bin, "pulumi");
  const build = "run `npm run toolchain` (needs Go) to build it";

  if (!isExecutable(pulumiBin)) return { found: false, reason: `no Pulumi CLI at ${pulumiBin}: ${build}` };
  let reported: string;
  try {
    reported = execFileSync(pulumiBin, ["version"], { encoding: "utf8", timeout: 60_000 }).trim();
  } catch (err) {
    return { found: false, reason: `${pulumiBin} does not run (${(err as Error).message.split("\n")[0]}): ${build}` };
  }
  if (reported !== version) return { found: false, reason: `${pulumiBin} is ${reported}, not ${version}: ${build}` };

  const pulumiHome = path.join(root, "home");
  const nodeModules = path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");
  const env: Record<string, string> = {
    PATH: [bin, processEnv.PATH].filter(Boolean).join(path.delimiter),
    PULUMI_HOME: pulumiHome,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NODE_PATH: [nodeModules, processEnv.NODE_PATH].filter(Boolean).join(path.delimiter),
  };
  const aivenPlugin = path.join(pulumiHome, "plugins", `resource-aiven-v${AIVEN_PLUGIN_VERSION}`, "pulumi-resource-aiven");
  const languageHost = path.join(bin, "pulumi-language-nodejs");
  return {
    found: true,
    version,
    root,
    pulumiBin,
    pulumiHome,
    env,
    aivenPluginMissing: isExecutable(aivenPlugin)
      ? undefined
      : `pulumi-resource-aiven ${AIVEN_PLUGIN_VERSION} is not installed in ${pulumiHome} (the Go module proxy does not serve its source)`,
    languageHostMissing: isExecutable(languageHost) ? undefined : `no ${languageHost}: ${build}`,
  };
}

/** The CLI version scripts/toolchain/go.mod pins, as `pulumi version` prints it. */
function pinnedCliVersion(): string {
  const goMod = fs.readFileSync(path.join(repoRoot(), "scripts", "toolchain", "go.mod"), "utf8");
  const match = /^\s*(?:require\s+)?github\.com\/pulumi\/pulumi\/pkg\/v3\s+(v\S+)/m.exec(goMod);
  if (!match) throw new Error("scripts/toolchain/go.mod does not pin github.com/pulumi/pulumi/pkg/v3");
  return match[1];
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
