#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { Emulator, EmulatorOptions, startEmulator } from "./index";

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be an integer >= 0");
  return n;
}

/** Turns the command line (without `node` and the script) into EmulatorOptions. */
export function parseArgs(argv: string[]): EmulatorOptions & { quiet: boolean } {
  const program = new Command()
    .name("aiven-emulator")
    .description("Local emulator of the Aiven API for Valkey / Caching services and read replicas")
    .option("--port <port>", "port to listen on (0 = any free port)", integer, 0)
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option(
      "--token <token>",
      "the only API token accepted (default: $AIVEN_EMULATOR_TOKEN, else any non-empty token); " +
        "prefer the variable: a flag's value is visible to every user in `ps`",
    )
    .option("--projects <names>", "comma-separated list of the only projects that exist")
    .option("--build-ms <ms>", "REBUILDING to RUNNING delay", integer, 200)
    .option("--backup-ms <ms>", "delay before a primary's first backup", integer, 200)
    .option("--promote-ms <ms>", "REBUILDING to RUNNING delay of a promoted replica", integer, 100)
    .option("--engines <mode>", "auto: a redis-server per service when on PATH; none: metadata only", "auto")
    .option("--state-file <path>", "JSON file that keeps the state across restarts")
    .option("--quiet", "do not log requests to stderr", false)
    .exitOverride()
    // Usage errors are thrown and printed once by the bin, not also by commander.
    .configureOutput({ writeErr: () => undefined });
  program.parse(argv, { from: "user" });
  const o = program.opts<{
    port: number;
    host: string;
    token?: string;
    projects?: string;
    buildMs: number;
    backupMs: number;
    promoteMs: number;
    engines: string;
    stateFile?: string;
    quiet: boolean;
  }>();
  if (o.engines !== "auto" && o.engines !== "none") {
    throw new InvalidArgumentError(`--engines must be auto or none, got '${o.engines}'`);
  }
  return {
    port: o.port,
    host: o.host,
    token: o.token ?? process.env.AIVEN_EMULATOR_TOKEN,
    projects: o.projects?.split(",").map((p) => p.trim()).filter((p) => p !== ""),
    buildMs: o.buildMs,
    backupMs: o.backupMs,
    promoteMs: o.promoteMs,
    engines: o.engines,
    stateFile: o.stateFile,
    quiet: o.quiet,
  };
}

/**
 * Starts the emulator from a command line, prints the one `listening on …` line to stdout and
 * closes everything (engines included) on SIGINT/SIGTERM.
 */
export async function main(
  argv: string[] = process.argv.slice(2),
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<Emulator> {
  const { quiet, ...options } = parseArgs(argv);
  const emulator = await startEmulator({ ...options, log: !quiet });
  stdout.write(`listening on ${emulator.url}\n`);

  const onSignal = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const close = emulator.close;
  return {
    ...emulator,
    close: async () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await close();
    },
  };
}

if (require.main === module) {
  main().catch((err: Error) => {
    if (err instanceof CommanderError && err.exitCode === 0) process.exit(0);
    process.stderr.write(`aiven-emulator: ${err.message.replace(/^error: /, "")}\n`);
    process.exit(err instanceof CommanderError ? err.exitCode : 1);
  });
}
