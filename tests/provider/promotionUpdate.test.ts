// ReplicaPromotion update: what an update of an already promoted replica records.
import { ReplicaPromotionInputs, ReplicaPromotionOutputs, replicaPromotionProvider as promotion } from "../../provider/replicaPromotion";
import { useProviderFixture } from "./providerFixture";
import { recorded } from "./secretWatch";

const { fake, watch } = useProviderFixture();
const EARLIER = "2025-01-01T00:00:00.000Z";

let promo: ReplicaPromotionInputs;

async function update(olds: ReplicaPromotionOutputs, news: ReplicaPromotionInputs): Promise<ReplicaPromotionOutputs> {
  const { outs } = await recorded(watch, () => promotion.update!("proj/replica-1", olds, news));
  return outs as ReplicaPromotionOutputs;
}

beforeEach(() => {
  fake.reset();
  fake.addService("primary-1", { backups: [{ backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" }] });
  // Already standalone: an automatic failover promoted it, so there is no integration to delete.
  fake.addService("replica-1");
  promo = { project: "proj", primaryServiceName: "primary-1", replicaServiceName: "replica-1", apiUrl: fake.url, timeoutSeconds: 2, pollSeconds: 0.01 };
});

describe("ReplicaPromotion update of a promotion adopted after an automatic failover", () => {
  test("a pollSeconds change keeps promotedAt and integrationId null, and deletes nothing", async () => {
    const olds: ReplicaPromotionOutputs = { ...promo, integrationId: null, promotedAt: EARLIER, promoted: true };
    const outs = await update(olds, { ...promo, pollSeconds: 0.02 });
    expect(outs).toEqual({ ...olds, pollSeconds: 0.02 });
    expect(fake.callsTo("DELETE")).toEqual([]);
  });

  test("create adopts it (integrationId null); later updates keep its promotedAt", async () => {
    const { outs: created } = await recorded(watch, () => promotion.create!(promo));
    expect(created).toMatchObject({ integrationId: null, promoted: true });
    await new Promise((r) => setTimeout(r, 5)); // a new promotedAt would differ by now
    const first = await update(created!, { ...promo, pollSeconds: 0.02 });
    const second = await update(first, { ...promo, pollSeconds: 0.03, timeoutSeconds: 3 });
    expect(second).toEqual({ ...created, pollSeconds: 0.03, timeoutSeconds: 3 });
    expect(fake.callsTo("DELETE")).toEqual([]);
  });

  test("replicating again (a refresh recorded promoted: false): the update promotes it anew", async () => {
    fake.link("rr-9", "primary-1", "replica-1");
    const olds: ReplicaPromotionOutputs = { ...promo, integrationId: null, promotedAt: EARLIER, promoted: false };
    const outs = await update(olds, promo);
    expect(outs).toEqual({ ...promo, integrationId: "rr-9", promotedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), promoted: true });
    expect(outs.promotedAt).not.toBe(EARLIER);
    expect(fake.callsTo("DELETE").map((c) => c.path)).toEqual(["/v1/project/proj/integration/rr-9"]);
  });

  test("promoted: false but found standalone: nothing to delete, yet not the earlier promotion: a new promotedAt", async () => {
    const olds: ReplicaPromotionOutputs = { ...promo, integrationId: null, promotedAt: EARLIER, promoted: false };
    const outs = await update(olds, promo);
    expect(outs).toEqual({ ...promo, integrationId: null, promotedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), promoted: true });
    expect(outs.promotedAt).not.toBe(EARLIER);
    expect(fake.callsTo("DELETE")).toEqual([]);
  });
});
