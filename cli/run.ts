import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { USER_AGENT } from "../provider/aivenClient";
import { preflight } from "./commands/preflight";
import { promote } from "./commands/promote";
import { status } from "./commands/status";
import { verify } from "./commands/verify";
import { CliError, CliIo, EXIT_USAGE } from "./io";

const HELP_AFTER = `
Environment:
  AIVEN_TOKEN    Aiven API token (required by status, verify and promote; never printed)
  AIVEN_WEB_URL  API base URL when --api-url is not given (default https://api.aiven.io)

Exit codes:
  0  all good
  1  the check found a problem (a replica failed verify, preflight issues, a promotion
     refused or not standalone in time)
  2  usage, configuration or API error (missing token, unknown project or service, unreadable file)
`;

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number of seconds");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function program(io: CliIo, done: (code: number) => void): Command {
  const cli = new Command("aiven-read-replicas")
    .description("Status, replication check, promotion and preflight validation for Aiven for Valkey/Caching read replicas")
    .version(USER_AGENT.split("/")[1] ?? "0.0.0")
    .addHelpText("after", HELP_AFTER)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)");
  const apiUrl = () => new Option("--api-url <url>", "Aiven API base URL (else AIVEN_WEB_URL, else https://api.aiven.io)");

  cli
    .command("status")
    .description("show the primary, its read replicas and promoted ones: state, plan, cloud, backups, replication link and lag")
    .requiredOption("--project <project>", "Aiven project")
    .requiredOption("--primary <service>", "the primary service")
    .option("--replica <service>", "also show this service, e.g. a replica promoted earlier (repeatable)", collect, [])
    .addOption(apiUrl())
    .option("--connect-timeout <seconds>", "per engine connection", positiveSeconds, 5)
    .option("--json", "print JSON instead of a table")
    .action(async (options) => done(await status(options, io)));

  cli
    .command("verify")
    .description("write a canary key to the primary and wait until every live read replica returns it (a replica not RUNNING, or without a URI, fails unchecked)")
    .requiredOption("--project <project>", "Aiven project")
    .requiredOption("--primary <service>", "the primary service")
    .addOption(apiUrl())
    .option("--timeout <seconds>", "how long each replica has to return the canary", positiveSeconds, 60)
    .option("--poll <seconds>", "delay between two reads of a replica", positiveSeconds, 0.5)
    .option("--json", "print JSON instead of a table")
    .action(async (options) => done(await verify(options, io)));

  cli
    .command("promote")
    .description(
      "promote a read replica to a standalone primary: delete exactly its read_replica integration from --primary, then wait until it runs standalone (idempotent; a replica of another primary is refused and nothing changes; cannot be undone)",
    )
    .requiredOption("--project <project>", "Aiven project")
    .requiredOption("--primary <service>", "the primary the replica replicates from")
    .requiredOption("--replica <service>", "the read replica to promote")
    .addOption(apiUrl())
    .option("--no-wait", "return once the integration is deleted, without waiting for the replica to run standalone")
    .option("--timeout <seconds>", "how long to wait for the replica to run standalone", positiveSeconds, 1800)
    .option("--poll <seconds>", "delay between two reads of the replica", positiveSeconds, 5)
    .action(async (options) => done(await promote(options, io)));

  cli
    .command("preflight")
    .description("validate a ReadReplicaSet described in a JSON or YAML file, as the component does before `pulumi preview`")
    .argument("<file>", "JSON or YAML file with the ReadReplicaSet arguments")
    .option("--json", "print JSON instead of text")
    .action(async (file: string, options) => done(await preflight(file, options, io)));

  return cli;
}

/** Runs the CLI in-process; resolves with the exit code (tests call this directly). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = EXIT_USAGE;
  const cli = program(io, (c) => (code = c));
  try {
    if (argv.length === 0) {
      io.stderr.write(cli.helpInformation());
      return EXIT_USAGE;
    }
    await cli.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are exit 0; commander's usage errors (already printed) become 2.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.stderr.write(`error: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}
