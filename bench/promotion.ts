import * as pulumiLog from "@pulumi/pulumi/log";
import { replicaPromotionProvider } from "../provider/replicaPromotion";
import { Emulated, PROJECT, TOKEN, median, round, timed } from "./emulated";

export interface PromotionFigures {
  apiCalls: number;
  polls: number;
  ms: number;
  deleteRoundTripMs: number;
  ratio: number;
  calls: string[];
  /** What the provider logged while it promoted (Pulumi's runtime prints it when no engine listens). */
  progress: string[];
}

const SERVICE_PATH = /^\/v1\/project\/[^/]+\/service\/[^/]+$/;

/** One promotion through the provider's `create`, against a replica that is RUNNING and replicating. */
export async function measurePromotion(emu: Emulated, pollSeconds: number, promoteMs: number): Promise<PromotionFigures> {
  await emu.readyPrimary("promo-primary");
  await emu.runningReplica("promo-replica", "promo-primary");
  const deleteRoundTripMs = await deleteRoundTrip(emu);

  await emu.clearRequests();
  const progress: string[] = [];
  const print = pulumiLog.info;
  Object.assign(pulumiLog, { info: async (message: string) => void progress.push(message) });
  const { ms } = await timed(() =>
    replicaPromotionProvider.create!({
      project: PROJECT,
      primaryServiceName: "promo-primary",
      replicaServiceName: "promo-replica",
      apiUrl: emu.url,
      apiToken: TOKEN,
      pollSeconds,
      timeoutSeconds: 60,
    }),
  ).finally(() => Object.assign(pulumiLog, { info: print }));
  const requests = (await emu.requests()).filter((r) => r.path.startsWith("/v1/"));
  const isPoll = (r: { method: string; path: string }) => r.method === "GET" && SERVICE_PATH.test(r.path);
  return {
    apiCalls: requests.filter((r) => !isPoll(r)).length,
    polls: requests.filter(isPoll).length,
    ms: round(ms),
    deleteRoundTripMs: round(deleteRoundTripMs),
    ratio: round(ms / (deleteRoundTripMs + promoteMs), 3),
    calls: requests.map((r) => `${r.method} ${r.path} ${r.status}`),
    progress,
  };
}

/** Median of a few DELETEs of an integration that does not exist: the API's round trip without the promotion. */
async function deleteRoundTrip(emu: Emulated): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    samples.push((await timed(() => emu.client.deleteIntegration(PROJECT, `absent-${i}`))).ms);
  }
  return median(samples);
}
