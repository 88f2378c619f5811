import * as fs from "fs";
import * as path from "path";
import type { ReadReplicaSetArgs } from "../../components/readReplicaSetArgs";
import { CliError, CliIo, EXIT_OK, EXIT_PROBLEM } from "../io";

export interface PreflightOptions {
  json?: boolean;
}

/** Parses JSON or YAML by extension; anything else is tried as JSON, then YAML. */
export function readSetDescription(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const ext = path.extname(file).toLowerCase();
  let value: unknown;
  try {
    if (ext === ".json") value = JSON.parse(text);
    else if (ext === ".yaml" || ext === ".yml") value = parseYaml(text);
    else value = tryJsonThenYaml(text);
  } catch (e) {
    throw new CliError(`${file} is not valid ${ext === ".json" ? "JSON" : ext === ".yaml" || ext === ".yml" ? "YAML" : "JSON or YAML"}: ${firstLine((e as Error).message)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(`${file} must hold one object with the ReadReplicaSet arguments (project, primary, replicas, ...)`);
  }
  return value as Record<string, unknown>;
}

function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require("yaml") as typeof import("yaml");
  return yaml.parse(text);
}

function tryJsonThenYaml(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseYaml(text);
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

/** Prints every preflight issue as `path: message`; exit 1 when there is any. */
export async function preflight(file: string, options: PreflightOptions, io: CliIo): Promise<number> {
  const args = readSetDescription(file);
  // Loaded here: it pulls in @pulumi/aiven, which the other commands do not need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateReadReplicaSet } = require("../../components/preflight") as typeof import("../../components/preflight");
  const issues = validateReadReplicaSet(args as unknown as ReadReplicaSetArgs);
  if (options.json) {
    io.stdout.write(JSON.stringify({ file, issues }, null, 2) + "\n");
  } else if (issues.length === 0) {
    io.stdout.write(`${file}: no issues\n`);
  } else {
    for (const issue of issues) io.stdout.write(`${issue.path}: ${issue.message}\n`);
    io.stdout.write(`${issues.length} issue(s) in ${file}\n`);
  }
  return issues.length === 0 ? EXIT_OK : EXIT_PROBLEM;
}
