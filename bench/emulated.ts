import { AivenClient } from "../provider/aivenClient";
import type { AivenService } from "../provider/aivenTypes";
import { waitFor } from "../provider/waitFor";
import { Emulator, startEmulator } from "../emulator";

export const TOKEN = "bench-token";
export const PROJECT = "bench";

export interface Delays {
  buildMs: number;
  backupMs: number;
  promoteMs: number;
}

/** An emulator with its own client; the bench's direct calls poll every 5 ms, tighter than any user would. */
export class Emulated {
  private constructor(
    readonly emulator: Emulator,
    readonly client: AivenClient,
  ) {}

  static async start(delays: Delays, engines: "auto" | "none" = "none"): Promise<Emulated> {
    const emulator = await startEmulator({ token: TOKEN, engines, ...delays });
    return new Emulated(emulator, new AivenClient({ token: TOKEN, apiUrl: emulator.url, baseDelayMs: 10 }));
  }

  get url(): string {
    return this.emulator.url;
  }

  async createPrimary(name: string, plan = "business-4"): Promise<void> {
    await this.client.createService(PROJECT, { service_name: name, service_type: "valkey", plan, cloud: "google-europe-west1" });
  }

  async createReplica(name: string, primary: string): Promise<void> {
    await this.client.createService(PROJECT, {
      service_name: name,
      service_type: "valkey",
      plan: "startup-4",
      service_integrations: [{ integration_type: "read_replica", source_service: primary }],
    });
  }

  async waitUntil(name: string, done: (s: AivenService) => boolean, pollMs = 5, timeoutMs = 120_000): Promise<AivenService> {
    return waitFor({
      what: `bench: '${name}'`,
      deadline: Date.now() + timeoutMs,
      timeoutSeconds: timeoutMs / 1000,
      pollMs,
      poll: () => this.client.getService(PROJECT, name),
      done,
      describe: (s) => s.state,
      log: () => undefined,
    });
  }

  /** A primary that can take replicas: RUNNING with its first backup. */
  async readyPrimary(name: string): Promise<AivenService> {
    await this.createPrimary(name);
    return this.waitUntil(name, (s) => s.state === "RUNNING" && (s.backups?.length ?? 0) > 0);
  }

  async runningReplica(name: string, primary: string): Promise<AivenService> {
    await this.createReplica(name, primary);
    return this.waitUntil(name, (s) => s.state === "RUNNING");
  }

  async requests(): Promise<{ method: string; path: string; status: number }[]> {
    const res = await fetch(`${this.url}/_emulator/requests`);
    return ((await res.json()) as { requests: { method: string; path: string; status: number }[] }).requests;
  }

  async clearRequests(): Promise<void> {
    await fetch(`${this.url}/_emulator/requests`, { method: "DELETE" });
  }

  close(): Promise<void> {
    return this.emulator.close();
  }
}


export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** The median: the mean of the two middle values for an even count (not the lower one). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
