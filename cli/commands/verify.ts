import { checkReplication, isReplicationCheckFailure } from "../../provider/replication";
import { apiClient, CliError, CliIo, EXIT_OK, EXIT_PROBLEM, table } from "../io";
import { loadTopology } from "../topology";

export interface VerifyOptions {
  project: string;
  primary: string;
  apiUrl?: string;
  json?: boolean;
  /** Seconds each replica has to return the canary. */
  timeout: number;
  /** Seconds between two reads of a replica. */
  poll: number;
}

/** The canary check over the primary's live read replicas: exit 0 when all return it, 1 otherwise. */
export async function verify(options: VerifyOptions, io: CliIo): Promise<number> {
  const client = apiClient(options, io);
  const members = await loadTopology(client, options.project, options.primary);
  const primary = members[0].service;
  if (primary.state === "POWEROFF") {
    throw new CliError(`primary '${options.primary}' is POWEROFF: nothing takes writes; fail over to a promoted replica (failoverTo)`, EXIT_PROBLEM);
  }
  if (!primary.service_uri) throw new CliError(`primary '${options.primary}' has no service URI to connect to (state ${primary.state})`);
  const replicas = members.slice(1).map((m) => ({ name: m.service.service_name, uri: m.service.service_uri ?? "" }));

  let lagMs: Record<string, number> = {};
  let failures: { replica: string; message: string }[] = [];
  try {
    lagMs = (await checkReplication({ primaryUri: primary.service_uri, replicas, timeoutMs: options.timeout * 1000, pollMs: Math.max(1, options.poll * 1000) })).lagMs;
  } catch (e) {
    if (!isReplicationCheckFailure(e)) throw new CliError((e as Error).message, EXIT_PROBLEM);
    ({ lagMs, failures } = e);
  }

  const ok = failures.length === 0;
  if (options.json) {
    io.stdout.write(JSON.stringify({ project: options.project, primary: options.primary, ok, lagMs, failures }, null, 2) + "\n");
  } else if (replicas.length === 0) {
    io.stdout.write(`'${options.primary}' has no live read replicas: nothing to verify\n`);
  } else {
    const failed = new Set(failures.map((f) => f.replica));
    const rows = replicas.map((r) => [r.name, failed.has(r.name) ? "FAILED" : `ok, ${lagMs[r.name]} ms`]);
    io.stdout.write(table(["REPLICA", "RESULT"], rows));
    io.stdout.write(ok ? `ok: ${replicas.length} replica(s) returned the canary\n` : "");
  }
  for (const f of failures) io.stderr.write(`error: ${f.message}\n`);
  return ok ? EXIT_OK : EXIT_PROBLEM;
}
