// The harness held to the engine: the flow the offline harness keeps (readiness, promotion by config,
// an out-of-band promotion, refresh and up) run through the real engine and through harness/, each on
// its own fresh emulator; the emulators' end states and the outputs must be the same. Where they
// differ, the harness is wrong.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeployError, loadProgram, Program, runProgram, RunResult } from "../../harness";
import { replicationInfo } from "../../scripts/demoSteps";
import { describeEngine, EngineContext, engineContext, EngineStack } from "./engine";
import { Fixture, PROJECT, startFixture, useEngineFixture } from "./emulatorFixture";
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
    // The real engine first, then the harness (which runs the program in this process under mocks).
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

/** A dynamic provider that writes what it did, and which version of it did it, to a journal file. */
const journaling = (version: string): pulumi.dynamic.ResourceProvider => ({
  async create(inputs) {
    if (inputs.fail) throw new Error(`${String(inputs.key)} refused by ${version}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("fs").appendFileSync(inputs.journal, `create ${String(inputs.key)} by ${version}\n`);
    return { id: String(inputs.key), outs: inputs };
  },
  async diff(_id, olds, news) {
    const replace = olds.key !== news.key;
    return { changes: replace, replaces: replace ? ["key"] : [] };
  },
  async delete(id, props) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("fs").appendFileSync(props.journal, `delete ${id} by ${version}\n`);
  },
});

class Journaled extends pulumi.dynamic.Resource {
  constructor(version: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super(journaling(version), name, props, opts);
  }
}

/** `thing` with config `key`; with `fail`, a resource after it whose create fails; `version` names the provider. */
const replaceProgram = (journal: string) => async () => {
  const config = new pulumi.Config();
  const version = config.require("version");
  const thing = new Journaled(version, "thing", { key: config.require("key"), journal });
  if (config.getBoolean("fail")) new Journaled(version, "bad", { key: "bad", fail: true, journal }, { dependsOn: [thing] });
  return {};
};

/** A replace in a successful run, then one in a run that fails: what was created and deleted, by which provider. */
async function replaceFlow(up: (version: string, key: string, fail: boolean) => Promise<unknown>): Promise<{ journal: string[]; failed: boolean }> {
  await up("v1", "a", false);
  await up("v2", "b", false);
  const failed = await up("v3", "c", true).then(
    () => false,
    () => true,
  );
  return { journal: [], failed };
}

describeEngine("replaced resources: the harness, held to the real engine", () => {
  let ctx: EngineContext | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-journal-"));
  afterAll(() => {
    ctx?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const read = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n");

  test("create before delete, the old one deleted by its own provider after a successful run; a failed run deletes nothing", async () => {
    ctx = engineContext("http://127.0.0.1:1");
    const engineJournal = path.join(dir, "engine.txt");
    const stack = await EngineStack.create(ctx, { projectName: "parity-replace", stackName: "dev", program: replaceProgram(engineJournal) });
    const byEngine = await replaceFlow(async (version, key, fail) => {
      await stack.setConfig("version", version);
      await stack.setConfig("key", key);
      await stack.setConfig("fail", String(fail));
      return stack.up();
    });
    byEngine.journal = read(engineJournal);

    const harnessJournal = path.join(dir, "harness.txt");
    let previous: RunResult | undefined;
    const byHarness = await replaceFlow(async (version, key, fail) => {
      try {
        const config = { version, key, fail: String(fail) };
        previous = await runProgram(replaceProgram(harnessJournal), { emulatorUrl: "http://127.0.0.1:1", token: "unused", project: "parity-replace", config, previous });
      } catch (e) {
        previous = (e as DeployError).partial;
        throw e;
      }
    });
    byHarness.journal = read(harnessJournal);

    expect(byHarness).toEqual(byEngine);
    expect(byEngine).toEqual({ failed: true, journal: ["create a by v1", "create b by v2", "delete a by v1", "create c by v3"] });
  });
});

describeEngine(
  "examples/valkey-basic: the harness, held to the real engine with Aiven's provider",
  () => {
    const engine = useEngineFixture({ programSeesEmulator: true });
    const fixtures: Fixture[] = [];
    afterAll(() => Promise.all(fixtures.map((f) => f.close())));
    const program = loadProgram(path.join(__dirname, "../../examples/valkey-basic/index.ts"));
    const config = (aiven: Fixture, promote: string) => ({ aivenProject: PROJECT, apiUrl: aiven.emulator.url, verifyReplication: "false", pollSeconds: "0.2", timeoutSeconds: "600", promote });

    /** Up, promotion by config, destroy: the services, links and outputs after each step. */
    async function setFlow(aiven: Fixture, up: (promote: string) => Promise<Record<string, unknown>>, destroy: () => Promise<unknown>) {
      const seen = async (outputs?: Record<string, unknown>) => {
        const services = await aiven.services();
        // Each emulator makes its own URIs: the write endpoint is named by the service it points at.
        const writeService = services.find((s) => s.service_uri === outputs?.writeEndpoint)?.service_name;
        // Ports too: each emulator's engines listen on their own.
        const comparable = JSON.parse(JSON.stringify({ ...outputs, writeEndpoint: writeService }, (k, v) => (k === "port" ? "a port" : v)));
        return { services: services.map((s) => `${s.service_name} ${s.service_type} ${s.plan} ${s.state}`), links: await aiven.links(), outputs: comparable };
      };
      const deployed = await seen(await up(""));
      const promoted = await seen(await up("cache-replica-aws"));
      await destroy();
      return { deployed, promoted, destroyed: await seen() };
    }

    test("up, promotion by config, destroy: the same services, links and outputs", async () => {
      const stack = await engine.stack({ projectName: "valkey-basic", program: async () => program() }, { config: config(engine.aiven, ""), workDir: engine.ctx.newWorkDir() });
      const byEngine = await setFlow(
        engine.aiven,
        async (promote) => {
          await stack.setConfig("promote", promote);
          const { result } = await stack.up();
          return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
        },
        () => stack.destroy(),
      );

      const aiven = await startFixture();
      fixtures.push(aiven);
      let previous: RunResult | undefined;
      const run = (p: Program, promote: string) => runProgram(p, { emulatorUrl: aiven.emulator.url, token: aiven.token, project: "valkey-basic", config: config(aiven, promote), previous });
      const byHarness = await setFlow(
        aiven,
        async (promote) => (previous = await run(program, promote)).outputs,
        async () => (previous = await run(() => ({}), "")),
      );

      expect(byHarness).toEqual(byEngine);
      expect(byEngine.promoted.links).toEqual(["cache-replica-gcp <- cache-primary"]);
      expect(byEngine.destroyed.services).toEqual([]);
    });
  },
  { aivenPlugin: true },
);
