import { checkReplication, isReplicationCheckFailure, ReplicaFailure } from "../../provider/replication";
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
  const replicas = members.slice(1).map((m) => m.service);

  // A replica that is not RUNNING, or has no URI, is not checked: it fails as it is. (An empty
  // URI would make ioredis connect to 127.0.0.1:6379, whatever runs there.)
  const skipped = replicas.flatMap((s): ReplicaFailure[] => {
    const replica = s.service_name;
    if (s.state !== "RUNNING") return [{ replica, message: `replica '${replica}' is ${s.state}, not RUNNING: not checked` }];
    if (!s.service_uri) return [{ replica, message: `replica '${replica}' has no service URI to connect to (state ${s.state}): not checked` }];
    return [];
  });
  const notChecked = new Set(skipped.map((f) => f.replica));
  const targets = replicas.filter((s) => !notChecked.has(s.service_name)).map((s) => ({ name: s.service_name, uri: s.service_uri! }));

  let lagMs: Record<string, number> = {};
  let checkFailures: ReplicaFailure[] = [];
  try {
    lagMs = (await checkReplication({ primaryUri: primary.service_uri, replicas: targets, timeoutMs: options.timeout * 1000, pollMs: Math.max(1, options.poll * 1000) })).lagMs;
  } catch (e) {
    if (!isReplicationCheckFailure(e)) throw new CliError((e as Error).message, EXIT_PROBLEM);
    ({ lagMs, failures: checkFailures } = e);
  }
  // In the replicas' order, as the table lists them.
  const order = replicas.map((s) => s.service_name);
  const failures = [...skipped, ...checkFailures].sort((a, b) => order.indexOf(a.replica) - order.indexOf(b.replica));

  const ok = failures.length === 0;
  if (options.json) {
    io.stdout.write(JSON.stringify({ project: options.project, primary: options.primary, ok, lagMs, failures }, null, 2) + "\n");
  } else if (replicas.length === 0) {
    io.stdout.write(`'${options.primary}' has no live read replicas: nothing to verify\n`);
  } else {
    const failed = new Set(failures.map((f) => f.replica));
    const rows = replicas.map((r) => [r.service_name, failed.has(r.service_name) ? "FAILED" : `ok, ${lagMs[r.service_name]} ms`]);
    io.stdout.write(table(["REPLICA", "RESULT"], rows));
    io.stdout.write(ok ? `ok: ${replicas.length} replica(s) returned the canary\n` : "");
  }
  for (const f of failures) io.stderr.write(`error: ${f.message}\n`);
  return ok ? EXIT_OK : EXIT_PROBLEM;
}
