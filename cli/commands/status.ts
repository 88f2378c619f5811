import { engineInfo, EngineInfo } from "../engineInfo";
import { apiClient, CliIo, EXIT_OK, table } from "../io";
import { loadTopology, TopologyMember } from "../topology";

export interface StatusOptions {
  project: string;
  primary: string;
  replica: string[];
  apiUrl?: string;
  json?: boolean;
  /** Per engine connection, in seconds. */
  connectTimeout: number;
}

/** One service of the topology, as `status --json` prints it. */
export interface StatusEntry {
  service: string;
  role: TopologyMember["role"];
  replicaOf: string | null;
  state: string;
  plan: string | null;
  cloud: string | null;
  backups: number;
  /** Null when the service is powered off (no engine to ask). */
  engine: EngineInfo | null;
  /** Bytes the replica's engine is behind the primary's, when both answered. */
  lagBytes: number | null;
}

export const STATUS_COLUMNS = ["SERVICE", "ROLE", "STATE", "PLAN", "CLOUD", "BACKUPS", "LINK", "LAG"];

export async function status(options: StatusOptions, io: CliIo): Promise<number> {
  const client = apiClient(options, io);
  const members = await loadTopology(client, options.project, options.primary, options.replica);
  const engines = await Promise.all(
    members.map((m) => (m.service.state === "POWEROFF" ? Promise.resolve(null) : engineInfo(m.service.service_uri, options.connectTimeout * 1000))),
  );
  const primaryOffset = engines[0]?.reachable ? engines[0].offset : undefined;
  const entries = members.map((m, i): StatusEntry => {
    const engine = engines[i];
    const linked = m.role === "replica" && m.replicaOf === undefined;
    const lag = linked && engine?.reachable && engine.offset !== undefined && primaryOffset !== undefined ? Math.max(0, primaryOffset - engine.offset) : null;
    return {
      service: m.service.service_name,
      role: m.role,
      replicaOf: m.replicaOf ?? null,
      state: m.service.state,
      plan: m.service.plan ?? null,
      cloud: m.service.cloud_name ?? null,
      backups: (m.service.backups ?? []).length,
      engine,
      lagBytes: lag,
    };
  });

  if (options.json) {
    io.stdout.write(JSON.stringify({ project: options.project, primary: options.primary, services: entries }, null, 2) + "\n");
  } else {
    const rows = entries.map((e) => [
      e.service,
      e.replicaOf ? `replica of ${e.replicaOf}` : e.role,
      e.state,
      e.plan ?? "-",
      e.cloud ?? "-",
      String(e.backups),
      linkCell(e.engine),
      lagCell(e),
    ]);
    io.stdout.write(table(STATUS_COLUMNS, rows));
  }
  return EXIT_OK;
}

function linkCell(engine: EngineInfo | null): string {
  if (engine === null) return "-";
  if (!engine.reachable) return "unreachable";
  if (engine.role === "slave") return `replica, link ${engine.linkStatus ?? "?"}`;
  return `master, ${engine.connectedReplicas ?? 0} connected`;
}

function lagCell(entry: StatusEntry): string {
  if (entry.lagBytes === null) return "-";
  const io = entry.engine?.lastIoSecondsAgo;
  return io === undefined ? `${entry.lagBytes} B` : `${entry.lagBytes} B, last io ${io}s ago`;
}
