// ReadReplicaSet's preflight errors under the real engine: preview and up fail with every issue and
// its argument path in the engine's output, and nothing is created — in Aiven or in the state.
import { ReadReplicaSet } from "../../components/readReplicaSet";
import { describeEngine, EngineStack, failedRun, Run } from "./engine";
import { Fixture, PROJECT, useEngineFixture } from "./emulatorFixture";

describeEngine("preflight errors under the real engine", () => {
  const engine = useEngineFixture();
  let aiven: Fixture;
  let stack: EngineStack;

  beforeAll(async () => {
    aiven = engine.aiven;
    const program = async () => {
      const set = new ReadReplicaSet("cache", {
        project: PROJECT,
        primary: { name: "Cache-Primary", plan: "business-4" },
        replicas: [{ name: "cache-r1" }, { name: "cache-r2", plan: "business-8" }, { name: "cache-r1" }],
        failoverTo: "cache-r9",
      });
      return { writeEndpoint: set.writeEndpoint };
    };
    stack = await engine.stack({ projectName: "preflight", program });
  });

  /** Every issue with its path, in the engine's error diagnostics and in what it printed. */
  const expectEveryIssue = (run: Run) => {
    const errors = run.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join("\n");
    for (const path of ["primary.name", "replicas[1].plan", "replicas[2].name", "failoverTo"]) {
      expect(errors).toContain(`${path}: `);
      expect(run.stdout).toContain(`${path}: `);
    }
  };

  test("preview fails with every issue and its path", async () => {
    expectEveryIssue((await failedRun(stack.preview())).run);
  });

  test("up fails the same way, and nothing is created in Aiven or in the state", async () => {
    expectEveryIssue((await failedRun(stack.up())).run);
    expect(await aiven.requests()).toEqual([]);
    const state = JSON.parse(await stack.exportText()) as { deployment: { resources?: Array<{ type: string }> } };
    const types = (state.deployment.resources ?? []).map((r) => r.type);
    expect(types.filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith("pulumi:providers:"))).toEqual([]);
  });
});
