// Runs Aiven's own CLI `avn` (PyPI package aiven-client, installed by scripts/install-avn.sh)
// against an emulator, as a user would: same flags, same environment variables.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** AVN_BIN, else the virtualenv that scripts/install-avn.sh creates; undefined when neither exists. */
export function findAvn(): string | undefined {
  const fromEnv = process.env.AVN_BIN;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  const inVenv = path.join(cache, "aiven-read-replicas", "avn-venv", "bin", "avn");
  return isExecutable(inVenv) ? inVenv : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface AvnResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AvnRunner {
  (...args: string[]): Promise<AvnResult>;
  /** Runs avn and parses its `--json` output; fails on a non-zero exit. */
  json<T>(...args: string[]): Promise<T>;
}

/**
 * An avn bound to one emulator and token, with its own empty config directory (no user login,
 * no default project). Spawned asynchronously: the emulator answers from this same process.
 */
export function avnFor(avn: string, url: string, token: string, configDir: string): AvnRunner {
  const run = (...args: string[]): Promise<AvnResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(avn, args, {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: configDir,
          AIVEN_WEB_URL: url,
          AIVEN_AUTH_TOKEN: token,
          AIVEN_CONFIG_DIR: configDir,
          AIVEN_CREDENTIALS_FILE: path.join(configDir, "aiven-credentials.json"),
          PYTHONDONTWRITEBYTECODE: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
  const runner = run as AvnRunner;
  runner.json = async <T>(...args: string[]): Promise<T> => {
    const result = await run(...args, "--json");
    if (result.code !== 0) throw new Error(`avn ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return runner;
}
