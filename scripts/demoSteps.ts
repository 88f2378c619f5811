// The demo's checks against the deployed services: read-back over the Redis protocol and the
// replication role each engine reports.
import { sourcesOf } from "../provider/readReplicaLinks";
import { withRedis } from "../provider/replication";
import { waitFor, WaitTimeoutError } from "../provider/waitFor";

export interface ServiceView {
  service_name: string;
  state: string;
  cloud_name: string;
  plan: string;
  service_uri: string;
  service_integrations: Array<{ integration_type: string; source_service: string; dest_service: string }>;
}

/** Milliseconds until `key` reads `value` on the service, or undefined after the timeout. */
export async function readBack(uri: string, key: string, value: string, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  return withRedis(uri, async (client) => {
    try {
      await waitFor({
        what: `'${key}' to read back`,
        deadline: started + timeoutMs,
        timeoutSeconds: timeoutMs / 1000,
        pollMs: 20,
        poll: () => client.get(key),
        done: (seen) => seen === value,
        describe: (seen) => (seen === null ? "no value" : "another value"),
        log: () => undefined,
      });
      return Date.now() - started;
    } catch (e) {
      if (e instanceof WaitTimeoutError) return undefined;
      throw e;
    }
  });
}

/** `role` and `master_link_status` from INFO replication. */
export async function replicationInfo(uri: string): Promise<{ role: string; link?: string }> {
  const info = await withRedis(uri, (client) => client.info("replication"));
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
  return { role: field("role") ?? "unknown", link: field("master_link_status") };
}

/** The service `service` replicates from, if it is a read replica. */
export function incomingLink(service: ServiceView): string | undefined {
  return sourcesOf(service)[0];
}
