// Which read_replica integration feeds which replica, as Aiven lists them on a service: the
// providers, the CLI and the demo all read the topology through these functions.
// Dependency-free: the providers serialize these functions into state.
import type { AivenIntegration, AivenService } from "./aivenTypes";

export const READ_REPLICA = "read_replica";

type Link = Pick<AivenIntegration, "integration_type" | "source_service" | "dest_service"> & { source_project?: string };

/** The read_replica integrations that feed `replica` (Aiven allows one; callers never assume it). */
export function incomingLinks<L extends Link>(integrations: readonly L[] | undefined, replica: string): L[] {
  return (integrations ?? []).filter((i) => i.integration_type === READ_REPLICA && i.dest_service === replica);
}

/** The services `service` replicates from, as its own integrations list them. */
export function sourcesOf(service: { service_name: string; service_integrations?: readonly Link[] }): string[] {
  return incomingLinks(service.service_integrations, service.service_name).map((i) => i.source_service);
}

/** A link whose source is `primary` in `project` (a link without source_project is in the same project). */
export function isFromPrimary(link: Link, project: string, primary: string): boolean {
  return link.source_service === primary && (link.source_project === undefined || link.source_project === project);
}

/** Whether `service` still lists a read_replica link from `primary` into `replica`. */
export function linkedTo(service: Pick<AivenService, "service_integrations">, project: string, primary: string, replica: string): boolean {
  return incomingLinks(service.service_integrations, replica).some((i) => isFromPrimary(i, project, primary));
}

/** Names of the services that replicate from `primary` now, as the primary lists them; sorted. */
export function liveReadReplicas(service: Pick<AivenService, "service_integrations">, primary: string): string[] {
  const names = (service.service_integrations ?? [])
    .filter((i) => i.integration_type === READ_REPLICA && i.source_service === primary && i.dest_service !== primary)
    .map((i) => i.dest_service);
  return [...new Set(names)].sort();
}
