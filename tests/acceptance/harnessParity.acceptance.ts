// The harness held to the engine: the flow the offline harness keeps (readiness, promotion by config,
// an out-of-band promotion, refresh and up) run through the real engine and through harness/, each on
// its own fresh emulator; the emulators' end states and the outputs must be the same. Where they
// differ, the harness is wrong.
import { runProgram, RunResult } from "../../harness";
import { replicationInfo } from "../../scripts/demoSteps";
import { describeEngine, EngineContext, engineContext, EngineStack } from "./engine";
import { Fixture, startFixture } from "./emulatorFixture";
import { promotionProgram } from "./programs";

const PRIMARY = "parity-primary";
const REPLICAS = ["parity-a", "parity-b", "parity-c"];

interface EndState {
  services: string[];
  links: string[];
  roles: string[];
  outputs: unknown;
}

/** A deployment of `promote` (comma-separated), with or without a refresh first. */
type Deploy = (promote: string, refreshFirst: boolean) => Promise<Record<string, unknown>>;

async function runFlow(aiven: Fixture, deploy: Deploy): Promise<EndState> {
  await aiven.primaryWithReplicas(PRIMARY, REPLICAS);
  await deploy("", false);
  await deploy("parity-a", false);
  await aiven.promoteOutOfBand("parity-b");
  const outputs = await deploy("parity-a,parity-b", true);
  const services = await aiven.services();
  const roles = aiven.emulator.enginesEnabled ? await Promise.all(services.map(async (s) => `${s.service_name} ${(await replicationInfo(s.service_uri)).role}`)) : [];
  return {
    services: services.map((s) => `${s.service_name} ${s.service_type} ${s.plan} ${s.state}`),
    links: await aiven.links(),
    roles,
    // Integration ids and times differ between two emulators; whether one was removed does not.
    outputs: JSON.parse(JSON.stringify(outputs, (key, value) => (key === "integrationId" ? (value === null ? null : "removed") : key === "promotedAt" ? "set" : value))),
  };
}

describeEngine("the harness, held to the real engine", () => {
  const fixtures: Fixture[] = [];
  let ctx: EngineContext | undefined;
  afterAll(async () => {
    await Promise.all(fixtures.map((f) => f.close()));
    ctx?.cleanup();
  });

  test("promotion, out-of-band promotion, refresh and up: the same services, links, engine roles and outputs", async () => {
    // The real engine first: the harness installs Pulumi's mocks in this process for good.
    const engineAiven = await startFixture();
    fixtures.push(engineAiven);
    ctx = engineContext(engineAiven.emulator.url);
    const stack = await EngineStack.create(ctx, { projectName: "parity", stackName: "dev", program: promotionProgram(PRIMARY) }, { secrets: { "aiven:apiToken": engineAiven.token } });
    const byEngine = await runFlow(engineAiven, async (promote, refreshFirst) => {
      await stack.setConfig("promote", promote);
      if (refreshFirst) await stack.refresh();
      const { result } = await stack.up();
      return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    });

    const harnessAiven = await startFixture();
    fixtures.push(harnessAiven);
    let previous: RunResult | undefined;
    // runProgram sets AIVEN_WEB_URL for its run, as `pulumi` passes it to its plugins.
    const byHarness = await runFlow(harnessAiven, async (promote, refreshFirst) => {
      previous = await runProgram(promotionProgram(PRIMARY), {
        emulatorUrl: harnessAiven.emulator.url,
        token: harnessAiven.token,
        project: "parity",
        config: { promote },
        previous,
        refresh: refreshFirst,
      });
      return previous.outputs;
    });

    expect(byHarness).toEqual(byEngine);
    expect(byEngine.links).toEqual([`parity-c <- ${PRIMARY}`]);
  });
});
