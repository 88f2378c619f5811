// The demo's checks against the deployed services: read-back over the Redis protocol and the
// replication role each engine reports.
import Redis from "ioredis";

export interface ServiceView {
  service_name: string;
  state: string;
  cloud_name: string;
  plan: string;
  service_uri: string;
  service_integrations: Array<{ integration_type: string; source_service: string; dest_service: string }>;
}

export async function withRedis<T>(uri: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(uri, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** Milliseconds until `key` reads `value` on the service, or undefined after the timeout. */
export async function readBack(uri: string, key: string, value: string, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  return withRedis(uri, async (client) => {
    while (Date.now() - started < timeoutMs) {
      if ((await client.get(key)) === value) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  });
}

/** `role` and `master_link_status` from INFO replication. */
export async function replicationInfo(uri: string): Promise<{ role: string; link?: string }> {
  const info = await withRedis(uri, (client) => client.info("replication"));
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
  return { role: field("role") ?? "unknown", link: field("master_link_status") };
}

export function incomingLink(service: ServiceView): string | undefined {
  return service.service_integrations.find((i) => i.integration_type === "read_replica" && i.dest_service === service.service_name)
    ?.source_service;
}

/** A plain text table: a header row, a rule, then the rows. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
