// Faults under the real engine: 429 with Retry-After and 5xx on the routes the providers call
// during `up` — the run converges, or fails clearly and the rerun converges, with nothing deleted
// twice; and an `up` interrupted with SIGINT while a promotion waits, then cancel and rerun.
import { changes, describeEngine, EngineStack, failedRun } from "./engine";
import { Fixture, PROJECT, useEngineFixture } from "./emulatorFixture";
import { promotionProgram } from "./programs";

const PRIMARY = "fault-primary";

/** Successful DELETEs of integrations: a promotion deletes exactly one, and never twice. */
async function integrationDeletes(aiven: Fixture): Promise<string[]> {
  return (await aiven.requests()).filter((r) => r.method === "DELETE" && r.status < 300).map((r) => r.path);
}

describeEngine("API faults under the real engine", () => {
  const engine = useEngineFixture({ primary: PRIMARY, replicas: ["fault-a", "fault-b"] });
  let aiven: Fixture;
  let stack: EngineStack;

  beforeAll(async () => {
    aiven = engine.aiven;
    stack = await engine.stack({ projectName: "faults", program: promotionProgram(PRIMARY) });
    await stack.up();
  });

  test("429 with Retry-After and 5xx on every route of a promotion: the up converges, one integration deleted once", async () => {
    const id = (await aiven.readReplicaLink("fault-a")).service_integration_id;
    const base = `/v1/project/${PROJECT}`;
    await aiven.fault({ method: "GET", path: `${base}/service/fault-a/integration`, status: 429, retryAfter: 1, count: 2 });
    await aiven.fault({ method: "DELETE", path: `${base}/integration/${id}`, status: 502, count: 1 });
    await aiven.fault({ method: "GET", path: `${base}/service/fault-a`, status: 500, count: 1 });
    await stack.setConfig("promote", "fault-a");
    const { run } = await stack.up();

    expect(changes(run)).toEqual([{ op: "create", urn: expect.stringContaining("promotion-fault-a") }]);
    const statuses = (await aiven.requests()).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(2);
    expect(await integrationDeletes(aiven)).toEqual([`${base}/integration/${id}`]);
    expect(await aiven.links()).toEqual([`fault-b <- ${PRIMARY}`]);
  });

  test("a 503 that outlasts the retries fails the up clearly; the rerun converges with no second delete", async () => {
    const id = (await aiven.readReplicaLink("fault-b")).service_integration_id;
    const listPath = `/v1/project/${PROJECT}/service/fault-b/integration`;
    await aiven.fault({ method: "GET", path: listPath, status: 503, count: 6, message: "Service temporarily unavailable" });
    await stack.setConfig("promote", "fault-a,fault-b");
    const failure = await failedRun(stack.up());
    const said = [failure.message, failure.run.stdout, ...failure.run.diagnostics.map((d) => d.message)].join("\n");
    expect(said).toContain("503 Service temporarily unavailable");
    expect(said).toContain("fault-b/integration");
    expect(await aiven.links()).toEqual([`fault-b <- ${PRIMARY}`]);

    const { run } = await stack.up();
    expect(changes(run)).toEqual([{ op: "create", urn: expect.stringContaining("promotion-fault-b") }]);
    expect((await integrationDeletes(aiven)).filter((p) => p.endsWith(`/integration/${id}`))).toHaveLength(1);
    expect(await aiven.links()).toEqual([]);
  });
});

describeEngine("SIGINT during up under the real engine", () => {
  // A promotion that takes 15 s: long enough to interrupt the up while the provider waits.
  const engine = useEngineFixture({ emulator: { promoteMs: 15_000 }, primary: PRIMARY, replicas: ["sig-a"] });
  let aiven: Fixture;
  let stack: EngineStack;

  beforeAll(async () => {
    aiven = engine.aiven;
    stack = await engine.stack({ projectName: "interrupt", program: promotionProgram(PRIMARY) });
  });

  test("up interrupted while the promotion waits; cancel, then the rerun converges with one delete", async () => {
    const id = (await aiven.readReplicaLink("sig-a")).service_integration_id;
    await stack.setConfig("promote", "sig-a");
    const abort = new AbortController();
    const interrupted = stack.up({ signal: abort.signal }).then(
      (done) => ({ ok: true as const, run: done.run }),
      (e: unknown) => ({ ok: false as const, error: e as Error }),
    );
    const deadline = Date.now() + 120_000;
    while ((await integrationDeletes(aiven)).length === 0) {
      if (Date.now() > deadline) throw new Error("the promotion never started");
      await new Promise((r) => setTimeout(r, 100));
    }
    abort.abort();
    const outcome = await interrupted;

    // The file backend may have no update to cancel; what it says is printed, not asserted.
    await stack.stack.cancel().then(
      () => console.log("pulumi cancel: done"),
      (e: Error) => console.log(`pulumi cancel: ${e.message.split("\n").find((l) => l.includes("error")) ?? e.message.split("\n")[0]}`),
    );
    const { result, run } = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    // The engine let the create in flight finish and recorded it before it stopped: nothing left to do.
    expect(outcome.ok).toBe(false);
    expect(changes(run)).toEqual([]);
    expect(result.outputs.promotions.value).toEqual([{ replica: "sig-a", integrationId: id, promotedAt: expect.any(String) }]);
    expect(await integrationDeletes(aiven)).toEqual([`/v1/project/${PROJECT}/integration/${id}`]);
    expect(await aiven.links()).toEqual([]);
    expect((await aiven.service("sig-a")).state).toBe("RUNNING");
  });
});
