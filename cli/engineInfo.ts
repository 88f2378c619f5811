import { redactSecrets, withRedis } from "../provider/replication";

/** What `INFO replication` says about one engine, or why it could not be asked. */
export interface EngineInfo {
  reachable: boolean;
  /** "master" or "slave", as the engine reports it. */
  role?: string;
  /** A replica's `master_link_status`: "up" or "down". */
  linkStatus?: string;
  /** A replica's `master_last_io_seconds_ago`. */
  lastIoSecondsAgo?: number;
  /** A replica's `slave_repl_offset`, or a master's `master_repl_offset`. */
  offset?: number;
  /** A master's `connected_slaves`. */
  connectedReplicas?: number;
  error?: string;
}

export function parseReplicationInfo(text: string): EngineInfo {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const num = (key: string): number | undefined => (fields.has(key) && Number.isFinite(Number(fields.get(key))) ? Number(fields.get(key)) : undefined);
  const role = fields.get("role");
  const info: EngineInfo = { reachable: true, role };
  if (role === "slave") {
    info.linkStatus = fields.get("master_link_status");
    info.lastIoSecondsAgo = num("master_last_io_seconds_ago");
    info.offset = num("slave_repl_offset");
  } else {
    info.offset = num("master_repl_offset");
    info.connectedReplicas = num("connected_slaves");
  }
  return info;
}

/** Asks the engine behind `uri`; an unreachable engine is a result, not an error. */
export async function engineInfo(uri: string | undefined, timeoutMs: number): Promise<EngineInfo> {
  if (!uri) return { reachable: false, error: "no service URI" };
  try {
    return parseReplicationInfo(await withRedis(uri, (client) => client.info("replication"), timeoutMs));
  } catch (e) {
    const { message, code } = (e ?? {}) as { message?: unknown; code?: unknown };
    const text = typeof message === "string" ? (typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message) : String(e);
    return { reachable: false, error: redactSecrets(text, [uri]) };
  }
}
