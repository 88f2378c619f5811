// ReplicaPromotion and PrimaryReadiness under the real engine: services made beforehand through the
// emulator's API, promotion by `pulumi up`, refresh, a zero-change second up, an out-of-band
// promotion, and a destroy that changes nothing in Aiven.
import { withRedis } from "../../provider/replication";
import { changes, describeEngine, EngineStack, nameOf, replacements } from "./engine";
import { Fixture, PROJECT, useEngineFixture } from "./emulatorFixture";
import { promotionProgram } from "./programs";

const PRIMARY = "promo-primary";
const REPLICAS = ["promo-a", "promo-b", "promo-c"];

describeEngine("promotion under the real engine", () => {
  const engine = useEngineFixture({ primary: PRIMARY, replicas: REPLICAS });
  let aiven: Fixture;
  let stack: EngineStack;

  beforeAll(async () => {
    aiven = engine.aiven;
    stack = await engine.stack({ projectName: "promotion", program: promotionProgram(PRIMARY) });
  });

  const deletes = async () => (await aiven.requests()).filter((r) => r.method === "DELETE");

  test("up without promotions: PrimaryReadiness reports the primary RUNNING with its backup and replicas", async () => {
    const { result } = await stack.up();
    expect(result.outputs.readiness.value).toEqual({ state: "RUNNING", backupCount: 1, liveReplicas: 3 });
    expect(await aiven.links()).toEqual(REPLICAS.map((r) => `${r} <- ${PRIMARY}`).sort());
  });

  test("promotion by config and up: exactly one integration deleted, the replica standalone and writable", async () => {
    const before = await aiven.readReplicaLink("promo-a");
    await stack.setConfig("promote", "promo-a");
    const { result, run } = await stack.up();

    expect(changes(run)).toEqual([{ op: "create", urn: expect.stringContaining("promotion-promo-a") }]);
    expect(replacements(run)).toEqual([]);
    expect((await deletes()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `DELETE /v1/project/${PROJECT}/integration/${before.service_integration_id} 200`,
    ]);
    expect(result.outputs.promotions.value).toEqual([{ replica: "promo-a", integrationId: before.service_integration_id, promotedAt: expect.any(String) }]);
    expect(await aiven.links()).toEqual([`promo-b <- ${PRIMARY}`, `promo-c <- ${PRIMARY}`]);
    expect((await aiven.services()).map((s) => s.service_name)).toEqual([PRIMARY, ...REPLICAS].sort());
    if (aiven.emulator.enginesEnabled) {
      expect(await withRedis(await aiven.uri("promo-a"), (c) => c.set("written-on-promoted", "yes"))).toBe("OK");
    }
  });

  test("refresh finds the promotion as made; the next up reports zero changes", async () => {
    const refreshed = await stack.refresh();
    expect(changes(refreshed.run).filter((c) => c.op !== "refresh")).toEqual([]);
    const again = await stack.up();
    expect(changes(again.run)).toEqual([]);
    expect(Object.keys(again.result.summary.resourceChanges ?? {})).toEqual(["same"]);
  });

  test("an out-of-band promotion, then refresh and up declaring it: no error, no replacement, nothing deleted twice", async () => {
    await aiven.promoteOutOfBand("promo-b");
    const deletesBefore = (await deletes()).length;
    await stack.refresh();
    await stack.setConfig("promote", "promo-a,promo-b");
    const { result, run } = await stack.up();

    expect(changes(run)).toEqual([{ op: "create", urn: expect.stringContaining("promotion-promo-b") }]);
    expect(replacements(run)).toEqual([]);
    expect((await deletes()).length).toBe(deletesBefore);
    const promotions = result.outputs.promotions.value as Array<{ replica: string; integrationId: string | null }>;
    expect(promotions.find((p) => p.replica === "promo-b")?.integrationId).toBeNull();
    expect(await aiven.links()).toEqual([`promo-c <- ${PRIMARY}`]);
    expect(changes((await stack.up()).run)).toEqual([]);
  });

  test("destroy removes the stack's resources and changes nothing in Aiven", async () => {
    const servicesBefore = await aiven.services();
    const linksBefore = await aiven.links();
    const requestsBefore = (await aiven.requests()).length;
    const { run } = await stack.destroy();

    expect(changes(run).map((c) => `${c.op} ${nameOf(c.urn)}`).sort()).toEqual(["delete promotion-promo-a", "delete promotion-promo-b", "delete readiness"]);
    expect([run.stdout, ...run.diagnostics.map((d) => d.message)].join("\n")).toContain("promotion cannot be undone");
    const writes = (await aiven.requests()).slice(requestsBefore).filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);
    expect((await aiven.services()).map((s) => [s.service_name, s.state])).toEqual(servicesBefore.map((s) => [s.service_name, s.state]));
    expect(await aiven.links()).toEqual(linksBefore);
  });
});
