/**
 * The toolchain runs the real engine: an Automation API inline program with a dynamic resource
 * goes through preview, up, refresh, stack export and destroy with the built CLI, a file backend
 * and nothing but loopback. Skips with the reason when the toolchain has not been built.
 */
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findToolchain } from "./toolchain";

const toolchain = findToolchain();
const describeWithCli = toolchain.found ? describe : describe.skip;
if (!toolchain.found) console.log(`real-CLI toolchain test skipped: ${toolchain.reason}`);

const secretValue = "tok-4f1d9c2e-never-in-state";

/** Each created thing is a file, so the test sees what the real dynamic-provider plugin did. */
function thingProvider(dir: string): pulumi.dynamic.ResourceProvider {
  return {
    async create(inputs) {
      const id = `thing-${inputs.name}`;
      fs.writeFileSync(path.join(dir, id), String(inputs.size));
      return { id, outs: { ...inputs, created: true } };
    },
    async read(id, props) {
      const file = path.join(dir, id);
      const size = Number(fs.readFileSync(file, "utf8"));
      return { id, props: { ...props, size } };
    },
    async diff(_id, olds, news) {
      return { changes: olds.size !== news.size || olds.name !== news.name, replaces: olds.name !== news.name ? ["name"] : [] };
    },
    async update(id, _olds, news) {
      fs.writeFileSync(path.join(dir, id), String(news.size));
      return { outs: { ...news, created: true } };
    },
    async delete(id) {
      fs.rmSync(path.join(dir, id));
    },
  };
}

class Thing extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs, provider: pulumi.dynamic.ResourceProvider) {
    super(provider, name, props);
  }
}

describeWithCli("the built Pulumi CLI runs an inline program with a dynamic resource", () => {
  jest.setTimeout(600_000);
  let work: string;
  let things: string;
  let stack: Stack;

  beforeAll(async () => {
    if (!toolchain.found) return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), "real-cli-"));
    things = path.join(work, "things");
    fs.mkdirSync(path.join(work, "state"));
    fs.mkdirSync(things);
    const dir = things;
    const program = async () => {
      const size = Number(new pulumi.Config().require("size"));
      const thing = new Thing("thing", { name: "a", size, token: pulumi.secret(secretValue) }, thingProvider(dir));
      return { thingId: thing.id };
    };
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", projectName: "toolchain-check", program },
      {
        pulumiCommand: await PulumiCommand.get({ root: toolchain.root }),
        envVars: {
          ...toolchain.env,
          PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
          PULUMI_CONFIG_PASSPHRASE: "toolchain-check",
        },
      },
    );
    await stack.setConfig("size", { value: "1" });
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("preview plans the create, up creates, a second up changes nothing", async () => {
    const preview = await stack.preview();
    expect(preview.changeSummary.create).toBe(2); // the stack and the thing
    expect(fs.readdirSync(things)).toEqual([]);

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.thingId.value).toBe("thing-a");
    expect(fs.readFileSync(path.join(things, "thing-a"), "utf8")).toBe("1");

    const again = await stack.up();
    expect(again.summary.resourceChanges).toEqual({ same: 2 });
  });

  test("the state file holds the secret only as ciphertext", () => {
    // Read the backend's files: the Automation API's exportStack() decrypts secrets (--show-secrets).
    const files = fs.readdirSync(path.join(work, "state"), { recursive: true, encoding: "utf8" });
    const stateFile = files.find((file) => file.endsWith(path.join("dev.json")));
    expect(stateFile).toBeDefined();
    const state = fs.readFileSync(path.join(work, "state", stateFile!), "utf8");
    expect(state).toContain("thing-a");
    expect(state).toMatch(/"ciphertext":/);
    const everything = files
      .map((file) => path.join(work, "state", file))
      .filter((file) => fs.statSync(file).isFile())
      .map((file) => fs.readFileSync(file, "utf8"))
      .join("\n");
    expect(everything.split(secretValue).length - 1).toBe(0);
  });

  test("a config change updates in place, refresh reads out-of-band drift", async () => {
    await stack.setConfig("size", { value: "2" });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(fs.readFileSync(path.join(things, "thing-a"), "utf8")).toBe("2");

    fs.writeFileSync(path.join(things, "thing-a"), "7");
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    const state = await stack.exportStack();
    const thing = state.deployment.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic:Resource");
    expect(thing.outputs.size).toBe(7);
  });

  test("destroy deletes through the provider and empties the stack", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
    expect(fs.readdirSync(things)).toEqual([]);
    const state = await stack.exportStack();
    expect(state.deployment.resources ?? []).toEqual([]);
  });
});

const describeWithLanguageHost = toolchain.found && !toolchain.languageHostMissing ? describe : describe.skip;

describeWithLanguageHost("the built language host runs a Pulumi.yaml project", () => {
  jest.setTimeout(600_000);
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "real-cli-project-"));
    fs.mkdirSync(path.join(work, "state"));
    const project = path.join(work, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: toolchain-project\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "toolchain-project", main: "index.ts" }));
    // TypeScript, as users write it: the host compiles it with the SDK's own ts-node.
    fs.writeFileSync(
      path.join(project, "index.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        "const replicas = new pulumi.Config().requireObject<{ count: number }>(\"replicas\");",
        "export const names: string[] = Array.from({ length: replicas.count }, (_, i) => `replica-${i + 1}`);",
      ].join("\n"),
    );
    fs.symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(project, "node_modules"));
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("config set --path, up and destroy", async () => {
    if (!toolchain.found) return;
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", workDir: path.join(work, "project") },
      {
        pulumiCommand: await PulumiCommand.get({ root: toolchain.root }),
        envVars: { ...toolchain.env, PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`, PULUMI_CONFIG_PASSPHRASE: "x" },
      },
    );
    await stack.setConfig("replicas.count", { value: "2" }, true);
    const up = await stack.up();
    expect(up.outputs.names.value).toEqual(["replica-1", "replica-2"]);
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
  });
});
