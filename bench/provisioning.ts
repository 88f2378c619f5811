import { primaryReadinessProvider } from "../provider/primaryReadiness";
import { Emulated, PROJECT, TOKEN, round, timed } from "./emulated";

export interface ProvisioningFigures {
  /** Component deploy / critical path. */
  ratio: number;
  /** Step-by-step deploy / component deploy. */
  serialRatio: number;
  componentMs: number;
  criticalPathMs: number;
  serialMs: number;
  /** How the component's deploy was driven. */
  method: string;
}

/** Deploys a primary and `replicas` replicas named after `prefix`; resolves when all are RUNNING. */
export type ComponentDeploy = (emu: Emulated, prefix: string, replicas: number, pollSeconds: number) => Promise<void>;

export async function measureProvisioning(
  emu: Emulated,
  deploy: { run: ComponentDeploy; method: string },
  replicas: number,
  pollSeconds: number,
): Promise<ProvisioningFigures> {
  const critical = await timed(() => criticalPath(emu, "cp"));
  const component = await timed(() => deploy.run(emu, "co", replicas, pollSeconds));
  const serial = await timed(() => serialDeploy(emu, "se", replicas));
  return {
    ratio: round(component.ms / critical.ms, 3),
    serialRatio: round(serial.ms / component.ms, 3),
    componentMs: round(component.ms),
    criticalPathMs: round(critical.ms),
    serialMs: round(serial.ms),
    method: deploy.method,
  };
}

/** What no tool can beat: primary build, first backup, one replica build, polled every 5 ms. */
async function criticalPath(emu: Emulated, prefix: string): Promise<void> {
  await emu.readyPrimary(`${prefix}-primary`);
  await emu.runningReplica(`${prefix}-replica-0`, `${prefix}-primary`);
}

/** The seeds' CLI steps: create the primary, wait for its backup, then each replica in turn. */
async function serialDeploy(emu: Emulated, prefix: string, replicas: number): Promise<void> {
  await emu.readyPrimary(`${prefix}-primary`);
  for (let i = 0; i < replicas; i++) await emu.runningReplica(`${prefix}-replica-${i}`, `${prefix}-primary`);
}

/**
 * Without the harness: the calls the component's resources make, in the engine's order. The
 * aiven provider creates the primary and waits for RUNNING; PrimaryReadiness waits for the backup;
 * the replicas, which depend on nothing but the readiness check, are created in parallel.
 */
export const resourceSequence: { run: ComponentDeploy; method: string } = {
  method: "resource sequence (primary, PrimaryReadiness provider, replicas in parallel), not the Pulumi engine",
  async run(emu, prefix, replicas, pollSeconds) {
    const pollMs = pollSeconds * 1000;
    const primary = `${prefix}-primary`;
    await emu.createPrimary(primary);
    await emu.waitUntil(primary, (s) => s.state === "RUNNING", pollMs);
    await primaryReadinessProvider.create!({
      project: PROJECT,
      serviceName: primary,
      serviceType: "valkey",
      replicasToAdd: replicas,
      requireBackup: true,
      apiUrl: emu.url,
      apiToken: TOKEN,
      pollSeconds,
    });
    await Promise.all(
      Array.from({ length: replicas }, async (_, i) => {
        await emu.createReplica(`${prefix}-replica-${i}`, primary);
        await emu.waitUntil(`${prefix}-replica-${i}`, (s) => s.state === "RUNNING", pollMs);
      }),
    );
  },
};
