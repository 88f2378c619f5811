import { checkReplication } from "../provider/replication";
import { Emulated, quantile, round } from "./emulated";

export type ReplicationFigures =
  | { lagMsP50: number; lagMsP99: number; lagMsMax: number; canaries: number; skipped?: undefined }
  | { lagMsP50: null; lagMsP99: null; canaries: number; skipped: string };

/**
 * The replication check core, once per canary, between a primary and a replica that the
 * emulator runs as real redis-server processes. Each check connects afresh, as the provider
 * does, so the lag includes the replica's connection.
 */
export async function measureReplication(emu: Emulated, canaries: number): Promise<ReplicationFigures> {
  if (!emu.emulator.enginesEnabled) return { lagMsP50: null, lagMsP99: null, canaries, skipped: "redis-server not found on PATH" };
  const primary = await emu.readyPrimary("lag-primary");
  const replica = await emu.runningReplica("lag-replica", "lag-primary");
  const options = {
    primaryUri: primary.service_uri!,
    replicas: [{ name: "lag-replica", uri: replica.service_uri! }],
    pollMs: 1,
  };
  // The first check also waits for the replica's initial sync.
  await checkReplication({ ...options, timeoutMs: 30_000 });
  const lags: number[] = [];
  for (let i = 0; i < canaries; i++) {
    const report = await checkReplication({ ...options, timeoutMs: 10_000 });
    lags.push(report.lagMs["lag-replica"]);
  }
  return {
    lagMsP50: round(quantile(lags, 0.5)),
    lagMsP99: round(quantile(lags, 0.99)),
    lagMsMax: round(Math.max(...lags)),
    canaries,
  };
}
