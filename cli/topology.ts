import type { AivenClient } from "../provider/aivenClient";
import type { AivenService } from "../provider/aivenTypes";
import { liveReadReplicas, sourcesOf } from "../provider/readReplicaLinks";
import { apiFailure } from "./io";

export type Role = "primary" | "replica" | "promoted/standalone";

export interface TopologyMember {
  role: Role;
  service: AivenService;
  /** Set only for a service given with --replica that replicates from another primary. */
  replicaOf?: string;
}

/**
 * The primary and its live read replicas (its read_replica integrations), plus the `extra`
 * services named with --replica: a replica promoted earlier is no longer linked, so only its
 * name finds it.
 */
export async function loadTopology(client: AivenClient, project: string, primaryName: string, extra: string[] = []): Promise<TopologyMember[]> {
  let primary: AivenService;
  try {
    primary = await client.getService(project, primaryName);
  } catch (e) {
    throw apiFailure(e, project, primaryName);
  }
  const live = liveReadReplicas(primary, primaryName);
  const names = [...new Set([...live, ...extra.filter((n) => n !== primaryName)])];
  const services = await Promise.all(
    names.map((name) =>
      client.getService(project, name).catch((e: unknown) => {
        throw apiFailure(e, project, name);
      }),
    ),
  );
  const replicas = services.map((service): TopologyMember => {
    const sources = sourcesOf(service);
    if (sources.includes(primaryName)) return { role: "replica", service };
    return sources.length > 0 ? { role: "replica", service, replicaOf: sources[0] } : { role: "promoted/standalone", service };
  });
  return [{ role: "primary", service: primary }, ...replicas];
}
