// The figures of `npm run bench:engine`, from the engine's timings and a `pulumi stack export`.
import { median } from "./emulated";

const DYNAMIC = "pulumi-nodejs:dynamic/";

/** One engine operation: wall time, and when (ms from its start) each resource step began and ended. */
export interface Timed {
  ms: number;
  /** From the engine's last event to the end of the operation: the engine and its plugins shutting down. */
  tailMs: number;
  steps: Map<string, { type: string; op: string; startMs?: number; endMs?: number }>;
}

/** Each round's two sides ran back to back, under the same load: the median of their ratios. */
export function pairedRatio(a: Timed[], b: Timed[], add = 0): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired timings needed, got ${a.length} and ${b.length}`);
  return median(a.map((t, i) => t.ms / (b[i].ms + add)));
}

/** Per resource type: median time of its steps that did something, over every run given. */
export function profile(runs: Timed[]): Record<string, { op: string; medianMs: number; count: number }> {
  const byType = new Map<string, { op: string; ms: number[] }>();
  for (const run of runs) {
    for (const step of run.steps.values()) {
      if (step.startMs === undefined || step.endMs === undefined || step.op === "same") continue;
      const key = `${step.op} ${step.type}`;
      const entry = byType.get(key) ?? { op: step.op, ms: [] };
      entry.ms.push(step.endMs - step.startMs);
      byType.set(key, entry);
    }
  }
  return Object.fromEntries([...byType].map(([key, { op, ms }]) => [key, { op, medianMs: Math.round(median(ms)), count: ms.length }]));
}

/** Bytes of each resource's entry in `pulumi stack export`, dynamic ones apart. */
export function stateBytes(exported: string): { dynamicCount: number; perDynamic: number; serializedProviderPerDynamic: number; perService: number } {
  const deployment = (JSON.parse(exported) as { deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> } }).deployment;
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  const dynamic = deployment.resources.filter((r) => r.type.startsWith(DYNAMIC));
  const services = deployment.resources.filter((r) => r.type === "aiven:index/valkey:Valkey");
  const providerBytes = dynamic.map((r) => bytes(r.inputs?.__provider ?? "") + bytes(r.outputs?.__provider ?? ""));
  const mean = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));
  return {
    dynamicCount: dynamic.length,
    perDynamic: mean(dynamic.map(bytes)),
    serializedProviderPerDynamic: mean(providerBytes),
    perService: mean(services.map(bytes)),
  };
}

