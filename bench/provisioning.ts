import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { ReadReplicaSet } from "../components/readReplicaSet";
import { runProgram } from "../harness";
import { Emulated, PROJECT, TOKEN, round, timed } from "./emulated";
import { BUILD, installCompiled } from "./installed";

const execFileAsync = promisify(execFile);

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
 * What the first deployment in a process pays once, whatever Aiven's delays: mostly Pulumi
 * serializing each dynamic provider's closure (cached per process afterwards). Two deploys
 * against an emulator without delays; the difference is the one-time cost. Compiled, it runs in
 * a fresh process against the package installed under node_modules, as a user's `pulumi up` does.
 */
export async function measureColdStart(run: ComponentDeploy, replicas: number, pollSeconds: number): Promise<ColdStart> {
  const instant = await Emulated.start({ buildMs: 0, backupMs: 0, promoteMs: 0 });
  try {
    const sourceTree = await twoDeploys(run, instant, replicas, pollSeconds);
    if (!BUILD) return { sourceTreeMs: round(sourceTree), installedMs: null };
    return { sourceTreeMs: round(sourceTree), installedMs: round(await installedColdStart(BUILD, instant, replicas, pollSeconds)) };
  } finally {
    await instant.close();
  }
}

export interface ColdStart {
  sourceTreeMs: number;
  installedMs: number | null;
}

async function twoDeploys(run: ComponentDeploy, emu: Emulated, replicas: number, pollSeconds: number): Promise<number> {
  const first = await timed(() => run(emu, "cold", replicas, pollSeconds));
  const second = await timed(() => run(emu, "warm", replicas, pollSeconds));
  return Math.max(0, first.ms - second.ms);
}

async function installedColdStart(build: string, emu: Emulated, replicas: number, pollSeconds: number): Promise<number> {
  const installed = installCompiled(build, ["provider", "components", "harness"]);
  try {
    const args = [path.join(build, "bench/coldStartChild.js"), emu.url, TOKEN, installed.dist, String(replicas), String(pollSeconds)];
    const { stdout } = await execFileAsync(process.execPath, args, { cwd: path.resolve(installed.dist, "../../.."), timeout: 120_000 });
    return Number(JSON.parse(stdout.trim().split("\n").pop()!).coldStartMs);
  } finally {
    installed.dispose();
  }
}

/** The bench's program: a set with a primary and `replicas` replicas, outputs awaited by the harness. */
export function componentProgram(Set: typeof ReadReplicaSet, url: string, prefix: string, replicas: number, pollSeconds: number) {
  return () => {
    const set = new Set(prefix, {
      project: PROJECT,
      apiUrl: url,
      pollSeconds,
      primary: { name: `${prefix}-primary`, plan: "business-4", cloud: "google-europe-west1" },
      replicas: Array.from({ length: replicas }, (_, i) => ({ name: `${prefix}-replica-${i}` })),
    });
    return { replicas: set.replicaServiceNames };
  };
}

/** The component under the offline harness: Pulumi's runtime, the providers as serialized into state. */
export const harnessDeploy: { run: ComponentDeploy; method: string } = {
  method: "ReadReplicaSet deployed by harness/runProgram (Pulumi mock runtime, serialized dynamic providers)",
  async run(emu, prefix, replicas, pollSeconds) {
    const program = componentProgram(ReadReplicaSet, emu.url, prefix, replicas, pollSeconds);
    // The aiven provider's own wait for RUNNING, at the same cadence as the component's.
    await runProgram(program, { emulatorUrl: emu.url, token: TOKEN, project: "bench", servicePollMs: pollSeconds * 1000 });
  },
};
