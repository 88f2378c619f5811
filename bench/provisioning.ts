import { ReadReplicaSet } from "../components/readReplicaSet";
import { runProgram } from "../harness";
import { Emulated, PROJECT, TOKEN, round, timed } from "./emulated";

export interface ProvisioningFigures {
  /** Component deploy / critical path. */
  ratio: number;
  /** Step-by-step deploy / component deploy. */
  serialRatio: number;
  componentMs: number;
  criticalPathMs: number;
  serialMs: number;
  /** One-time cost of the first deploy in a process (not in `componentMs`). */
  coldStartMs: number;
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
  const coldStartMs = await coldStart(deploy.run, replicas, pollSeconds);
  const critical = await timed(() => criticalPath(emu, "cp"));
  const component = await timed(() => deploy.run(emu, "co", replicas, pollSeconds));
  const serial = await timed(() => serialDeploy(emu, "se", replicas));
  return {
    ratio: round(component.ms / critical.ms, 3),
    serialRatio: round(serial.ms / component.ms, 3),
    componentMs: round(component.ms),
    criticalPathMs: round(critical.ms),
    serialMs: round(serial.ms),
    coldStartMs: round(coldStartMs),
    method: deploy.method,
  };
}

/**
 * What the first deployment in a process pays once, whatever Aiven's delays: mostly Pulumi
 * serializing each dynamic provider's closure (cached per process afterwards). Two deploys
 * against an emulator without delays; the difference is the one-time cost, and the measured
 * deploy below runs warm.
 */
async function coldStart(run: ComponentDeploy, replicas: number, pollSeconds: number): Promise<number> {
  const instant = await Emulated.start({ buildMs: 0, backupMs: 0, promoteMs: 0 });
  try {
    const first = await timed(() => run(instant, "cold", replicas, pollSeconds));
    const second = await timed(() => run(instant, "warm", replicas, pollSeconds));
    return Math.max(0, first.ms - second.ms);
  } finally {
    await instant.close();
  }
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

/** The component under the offline harness: Pulumi's runtime, the providers as serialized into state. */
export const harnessDeploy: { run: ComponentDeploy; method: string } = {
  method: "ReadReplicaSet deployed by harness/runProgram (Pulumi mock runtime, serialized dynamic providers)",
  async run(emu, prefix, replicas, pollSeconds) {
    const program = () => {
      const set = new ReadReplicaSet(prefix, {
        project: PROJECT,
        apiUrl: emu.url,
        pollSeconds,
        primary: { name: `${prefix}-primary`, plan: "business-4", cloud: "google-europe-west1" },
        replicas: Array.from({ length: replicas }, (_, i) => ({ name: `${prefix}-replica-${i}` })),
      });
      return { replicas: set.replicaServiceNames };
    };
    // The aiven provider's own wait for RUNNING, at the same cadence as the component's.
    await runProgram(program, { emulatorUrl: emu.url, token: TOKEN, project: "bench", servicePollMs: pollSeconds * 1000 });
  },
};
