// ReadReplicaSet's preflight errors under the real engine: preview and up fail with every issue and
// its argument path in the engine's output, and nothing is created — in Aiven or in the state.
import { ReadReplicaSet } from "../../components/readReplicaSet";
import { describeEngine, EngineContext, engineContext, EngineStack, failedRun } from "./engine";
import { Fixture, PROJECT, startFixture } from "./emulatorFixture";

describeEngine("preflight errors under the real engine", () => {
  let aiven: Fixture;
  let ctx: EngineContext;
  let stack: EngineStack;

  beforeAll(async () => {
    aiven = await startFixture();
    ctx = engineContext(aiven.emulator.url);
    const program = async () => {
      const set = new ReadReplicaSet("cache", {
        project: PROJECT,
        primary: { name: "Cache-Primary", plan: "business-4" },
        replicas: [{ name: "cache-r1" }, { name: "cache-r2", plan: "business-8" }, { name: "cache-r1" }],
        failoverTo: "cache-r9",
      });
      return { writeEndpoint: set.writeEndpoint };
    };
    stack = await EngineStack.create(ctx, { projectName: "preflight", stackName: "dev", program }, { secrets: { "aiven:apiToken": aiven.token } });
  });

  afterAll(async () => {
    await aiven?.close();
    ctx?.cleanup();
  });

  const expectEveryIssue = (text: string) => {
    for (const path of ["primary.name", "replicas[1].plan", "replicas[2].name", "failoverTo"]) expect(text).toContain(`${path}: `);
  };

  test("preview fails with every issue and its path", async () => {
    const failure = await failedRun(stack.preview());
    expectEveryIssue([failure.message, failure.run.stdout, ...failure.run.diagnostics.map((d) => d.message)].join("\n"));
  });

  test("up fails the same way, and nothing is created in Aiven or in the state", async () => {
    const failure = await failedRun(stack.up());
    const said = [failure.message, failure.run.stdout, ...failure.run.diagnostics.map((d) => d.message)].join("\n");
    expectEveryIssue(said);
    expect(await aiven.requests()).toEqual([]);
    const state = JSON.parse(await stack.exportText()) as { deployment: { resources?: Array<{ type: string }> } };
    const types = (state.deployment.resources ?? []).map((r) => r.type);
    expect(types.filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith("pulumi:providers:"))).toEqual([]);
  });
});
