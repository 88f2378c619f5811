// ReadReplicaSet used from other Pulumi languages through the package's own plugin: the YAML and
// Python examples and a Go program, each added to its project with `pulumi package add`, deployed
// by the real engine with Aiven's resource plugin against the emulator.
import type { InlineProgramArgs, LocalProgramArgs } from "@pulumi/pulumi/automation";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { incomingLinks } from "../../provider/readReplicaLinks";
import { withRedis } from "../../provider/replication";
import { readBack } from "../../scripts/demoSteps";
import { changes, describeEngine, EngineContext, engineContext, EngineStack, failedRun, filesUnder, isSdkRpcDebug, nameOf, replacements, toolchain } from "./engine";
import { Fixture, occurrences, PROJECT, startFixture } from "./emulatorFixture";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const PLUGIN_DIR = path.join(ROOT, "packageProvider");
const PACKAGE = "aiven-read-replicas";
const LAUNCHER = path.join(PLUGIN_DIR, `pulumi-resource-${PACKAGE}`);
const FAST = { pollSeconds: "1", timeoutSeconds: "600" };

/** Why the other-language programs cannot run here, or undefined. */
function componentPackageSkipReason(): string | undefined {
  if (!toolchain.found) return undefined; // describeEngine says why
  const bin = path.dirname(toolchain.pulumiBin);
  const missing = [
    ["pulumi-language-yaml", path.join(bin, "pulumi-language-yaml")],
    ["pulumi-language-python", path.join(bin, "pulumi-language-python")],
    ["pulumi-language-go", path.join(bin, "pulumi-language-go")],
    ["the Python SDK's virtualenv", path.join(toolchain.root, "python", "bin", "python")],
  ].filter(([, file]) => !fs.existsSync(file));
  if (missing.length > 0) return `${missing.map(([what]) => what).join(", ")} not in the toolchain: run \`npm run toolchain\``;
  if (!fs.existsSync(LAUNCHER)) return `no package plugin at ${LAUNCHER}`;
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
  } catch {
    return "no `go` on PATH: the Go language host compiles Go programs with it";
  }
  if (!fs.existsSync(path.join(ROOT, "dist", "packageProvider", "main.js"))) return "the package is not built: run `npm run build`";
  return undefined;
}

/**
 * A fresh work dir that `populate` fills (and returns the environment `pulumi package add` needs),
 * with the package added by `pulumi package add` given the plugin's launcher (which generates the
 * SDK, links it and installs the program's dependencies). The CLI records the package by name and
 * version, which only an installed plugin would answer: the entry is pointed at the plugin's
 * directory, as the examples' READMEs say.
 */
async function projectWithPackage(ctx: EngineContext, populate: (dir: string) => Promise<Record<string, string>>): Promise<string> {
  const dir = ctx.newWorkDir();
  const env = await populate(dir);
  const projectFile = path.join(dir, "Pulumi.yaml");
  const pointAtPluginDir = () => {
    const project = YAML.parse(fs.readFileSync(projectFile, "utf8")) as { packages?: Record<string, string> };
    if (project.packages?.[PACKAGE] === undefined) return false;
    project.packages[PACKAGE] = PLUGIN_DIR;
    fs.writeFileSync(projectFile, YAML.stringify(project));
    return true;
  };
  // An example's own entry is relative to the example's directory, not to this copy.
  pointAtPluginDir();
  await pulumi(ctx, dir, ["package", "add", LAUNCHER], env);
  expect(pointAtPluginDir()).toBe(true);
  return dir;
}

/** Copies an example's program (not its README, virtualenv, SDKs or stack files) into `dir`. */
function copyExample(example: string, dir: string): void {
  const source = path.join(ROOT, "examples", example);
  for (const file of fs.readdirSync(source)) {
    if (/^(README\.md|venv|sdks|__pycache__|Pulumi\..+\.yaml)$/.test(file)) continue;
    fs.cpSync(path.join(source, file), path.join(dir, file), { recursive: true });
  }
}

// A Go program of the same set; the SDK's import path is the one `pulumi package add` generates.
const GO_PROGRAM = `package main

import (
	"example.com/pulumi-aiven-read-replicas/sdk/go/aivenreadreplicas"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		pollSeconds := cfg.GetFloat64("pollSeconds")
		set, err := aivenreadreplicas.NewReadReplicaSet(ctx, "cache", &aivenreadreplicas.ReadReplicaSetArgs{
			Project: pulumi.String(cfg.Require("aivenProject")),
			Primary: aivenreadreplicas.PrimarySpecArgs{Name: pulumi.String("go-primary"), Plan: pulumi.StringPtr("business-4")},
			Replicas: []aivenreadreplicas.ReplicaSpecArgs{
				{Name: pulumi.String("go-replica-a"), Promote: pulumi.BoolPtr(cfg.GetBool("promoteA"))},
				{Name: pulumi.String("go-replica-b")},
			},
			PollSeconds: &pollSeconds,
		})
		if err != nil {
			return err
		}
		ctx.Export("primaryServiceName", set.PrimaryServiceName)
		ctx.Export("replicaServiceNames", set.ReplicaServiceNames)
		ctx.Export("replicaPromoted", set.ReplicaPromoted)
		ctx.Export("writeEndpoint", set.WriteEndpoint)
		return nil
	})
}
`;

async function goProject(dir: string): Promise<Record<string, string>> {
  if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: go-consumer\nruntime: go\n");
  fs.writeFileSync(path.join(dir, "go.mod"), `module goconsumer\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${toolchain.version}\n`);
  fs.writeFileSync(path.join(dir, "main.go"), GO_PROGRAM);
  // Go never fetches another Go toolchain here.
  return { GOTOOLCHAIN: "local" };
}

async function pulumi(ctx: EngineContext, cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
  try {
    const { stdout, stderr } = await execFileAsync(toolchain.pulumiBin, args, { cwd, env: { ...process.env, ...ctx.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    ctx.transcript.push(stdout, stderr);
    return stdout;
  } catch (e) {
    const failed = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`pulumi ${args.join(" ")} failed in ${cwd}: ${failed.message}\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
  }
}

/**
 * The project's virtualenv sees the toolchain's Python SDK (a .pth file), and pip installs the
 * generated SDK from its directory without an index: no download in the acceptance stage.
 */
async function offlineVirtualenv(dir: string): Promise<Record<string, string>> {
  if (!toolchain.found) throw new Error(`no toolchain: ${toolchain.reason}`);
  const toolchainPython = path.join(toolchain.root, "python", "bin", "python");
  const sitePackages = async (python: string) =>
    (await execFileAsync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])).stdout.trim();
  await execFileAsync(toolchainPython, ["-m", "venv", path.join(dir, "venv")]);
  fs.writeFileSync(path.join(await sitePackages(path.join(dir, "venv", "bin", "python")), "toolchain-sdk.pth"), `${await sitePackages(toolchainPython)}\n`);
  return { PIP_NO_INDEX: "1", PIP_NO_BUILD_ISOLATION: "false", PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

/** A stack of the project in `workDir` (its own Pulumi.yaml and program, run by its language host). */
async function projectStack(ctx: EngineContext, workDir: string, stackName: string, config: Record<string, string>, aiven: Fixture): Promise<EngineStack> {
  const args: LocalProgramArgs = { stackName, workDir };
  // EngineStack.create passes its arguments to LocalWorkspace.createOrSelectStack, which runs a
  // local program for arguments with a workDir: typed as an inline program's only in engine.ts.
  return EngineStack.create(ctx, args as unknown as InlineProgramArgs, { config, secrets: { "aiven:apiToken": aiven.token }, workDir });
}

const integrationDeletes = async (aiven: Fixture) => (await aiven.requests()).filter((r) => r.method === "DELETE" && r.path.includes("/integration/"));
const writes = async (aiven: Fixture) => (await aiven.requests()).filter((r) => r.method !== "GET");

interface Deployment {
  language: string;
  names: { primary: string; a: string; b: string };
  stack: EngineStack;
  /** Sets the config that promotes replica a. */
  promoteA(): Promise<void>;
}

const reason = componentPackageSkipReason();
const describeIfReady = (name: string, body: () => void) => {
  if (reason === undefined) return describeEngine(name, body, { aivenPlugin: true });
  process.stderr.write(`acceptance: skipped "${name}": ${reason}\n`);
  describe.skip(name, body);
};

describeIfReady("ReadReplicaSet from YAML, Python and Go through `pulumi package add`", () => {
  let aiven: Fixture;
  let ctx: EngineContext;
  let yamlDir: string;
  const deployments: Deployment[] = [];

  beforeAll(async () => {
    aiven = await startFixture();
    ctx = engineContext(aiven.emulator.url);
    yamlDir = await projectWithPackage(ctx, async (dir) => {
      copyExample("yaml-gitops", dir);
      return {};
    });
  });

  afterAll(async () => {
    await aiven?.close();
    ctx?.cleanup();
  });

  test("YAML: a preflight violation fails the up with its property path, and nothing is created", async () => {
    const writesBefore = (await writes(aiven)).length;
    const stack = await projectStack(ctx, yamlDir, "bad", { aivenProject: PROJECT, primaryName: "bad-primary", replicaAName: "Bad_Replica", replicaBName: "bad-replica-b", replicaPlan: "business-8", ...FAST }, aiven);
    const { run } = await failedRun(stack.up());
    const errors = run.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join("\n");
    for (const property of ["replicas[0].name", "replicas[0].plan", "replicas[1].plan"]) {
      expect(errors).toContain(`${property}: `);
      expect(run.stdout).toContain(`${property}: `);
    }
    expect((await writes(aiven)).slice(writesBefore)).toEqual([]);
    const state = JSON.parse(await stack.exportText()) as { deployment: { resources?: Array<{ type: string }> } };
    const types = (state.deployment.resources ?? []).map((r) => r.type);
    expect(types.filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith("pulumi:providers:"))).toEqual([]);
  });

  test("up of the YAML, Python and Go programs (side by side): a primary and two replicas each, each replica linked once to its primary", async () => {
    const yamlNames = { primary: "yaml-primary", a: "yaml-replica-a", b: "yaml-replica-b" };
    const yamlStack = await projectStack(ctx, yamlDir, "dev", { aivenProject: PROJECT, primaryName: yamlNames.primary, replicaAName: yamlNames.a, replicaBName: yamlNames.b, ...FAST }, aiven);
    deployments.push({ language: "yaml", names: yamlNames, stack: yamlStack, promoteA: () => yamlStack.setConfig("promoteA", "true") });

    const [pythonDir, goDir] = await Promise.all([
      projectWithPackage(ctx, async (dir) => {
        copyExample("python-basic", dir);
        return offlineVirtualenv(dir);
      }),
      projectWithPackage(ctx, goProject),
    ]);
    const pythonNames = { primary: "py-primary", a: "py-replica-a", b: "py-replica-b" };
    const pythonStack = await projectStack(ctx, pythonDir, "dev", { aivenProject: PROJECT, namePrefix: "py", ...FAST }, aiven);
    deployments.push({ language: "python", names: pythonNames, stack: pythonStack, promoteA: () => pythonStack.setConfig("promote", pythonNames.a) });
    const goNames = { primary: "go-primary", a: "go-replica-a", b: "go-replica-b" };
    const goStack = await projectStack(ctx, goDir, "dev", { aivenProject: PROJECT, ...FAST }, aiven);
    deployments.push({ language: "go", names: goNames, stack: goStack, promoteA: () => goStack.setConfig("promoteA", "true") });

    const results = await Promise.all(deployments.map(async (d) => ({ d, up: await d.stack.up() })));
    for (const { d, up } of results) {
      expect(up.result.outputs.primaryServiceName.value).toBe(d.names.primary);
      expect(up.result.outputs.replicaServiceNames.value).toEqual([d.names.a, d.names.b]);
      expect(up.result.outputs.replicaPromoted.value).toEqual([false, false]);
      expect(up.result.outputs.writeEndpoint).toEqual({ value: (await aiven.service(d.names.primary)).service_uri, secret: true });
    }
    const expected = deployments.flatMap((d) => [d.names.primary, d.names.a, d.names.b]).sort();
    expect((await aiven.services()).map((s) => [s.service_name, s.state])).toEqual(expected.map((name) => [name, "RUNNING"]));
    for (const d of deployments) {
      for (const replica of [d.names.a, d.names.b]) {
        const links = incomingLinks((await aiven.service(replica)).service_integrations, replica);
        expect(links.map((i) => i.source_service)).toEqual([d.names.primary]);
      }
    }
  });

  test("data written to each primary is read back from both of its replicas", async () => {
    expect(deployments).toHaveLength(3);
    if (!aiven.emulator.enginesEnabled) {
      console.log("replication not checked: redis-server is not on PATH, so the emulator runs no engines");
      return;
    }
    for (const d of deployments) {
      const value = `${d.language} ${Date.now()}`;
      await withRedis((await aiven.service(d.names.primary)).service_uri, (c) => c.set("acceptance:package", value));
      for (const replica of [d.names.a, d.names.b]) {
        expect(await readBack((await aiven.service(replica)).service_uri, "acceptance:package", value, 10_000)).toBeDefined();
      }
    }
  });

  test("promotion by config and up again: exactly one integration deleted per program, nothing replaced", async () => {
    expect(deployments).toHaveLength(3);
    const linkIds = new Map<string, string>();
    for (const d of deployments) {
      const link = (await aiven.service(d.names.a)).service_integrations.find((i) => i.dest_service === d.names.a)!;
      linkIds.set(d.language, link.service_integration_id);
      await d.promoteA();
    }
    const deletesBefore = (await integrationDeletes(aiven)).length;
    const results = await Promise.all(deployments.map(async (d) => ({ d, up: await d.stack.up() })));
    for (const { d, up } of results) {
      expect(replacements(up.run)).toEqual([]);
      expect(changes(up.run).filter((c) => /delete/.test(c.op))).toEqual([]);
      expect(changes(up.run).map((c) => `${c.op} ${nameOf(c.urn)}`)).toContainEqual(expect.stringMatching(new RegExp(`^create .*promotion.*${d.names.a}`)));
      expect(up.result.outputs.replicaPromoted.value).toEqual([true, false]);
    }
    const deleted = (await integrationDeletes(aiven)).slice(deletesBefore).map((r) => `${r.path} ${r.status}`).sort();
    expect(deleted).toEqual(deployments.map((d) => `/v1/project/${PROJECT}/integration/${linkIds.get(d.language)} 200`).sort());
    expect(await aiven.links()).toEqual(deployments.map((d) => `${d.names.b} <- ${d.names.primary}`).sort());
    if (aiven.emulator.enginesEnabled) {
      for (const d of deployments) expect(await withRedis((await aiven.service(d.names.a)).service_uri, (c) => c.set("written-on-promoted", "yes"))).toBe("OK");
    }
  });

  test("the token and every password and URI appear only as ciphertext: stack exports, backend files, engine output", async () => {
    expect(deployments).toHaveLength(3);
    const secrets = await aiven.secrets();
    expect(secrets.length).toBeGreaterThanOrEqual(1 + 2 * 9);
    const exported = await Promise.all(deployments.map((d) => d.stack.exportText()));
    for (const text of exported) expect(occurrences(text, '"ciphertext"')).toBeGreaterThanOrEqual(1);
    const places = [
      ...exported.map((text, i) => ({ where: `pulumi stack export of the ${deployments[i].language} stack`, text })),
      ...filesUnder(ctx.backendDir).map((f) => ({ where: f.file, text: f.text })),
      { where: "engine output", text: ctx.transcript.join("\n") },
      { where: "engine events", text: JSON.stringify(ctx.events.filter((e) => !isSdkRpcDebug(e))) },
    ];
    const leaks = places.flatMap(({ where, text }) => secrets.flatMap((secret, i) => (occurrences(text, secret) > 0 ? [`${where}: secret #${i}`] : [])));
    expect(leaks).toEqual([]);
  });

  test("destroy leaves no service and no integration behind", async () => {
    expect(deployments).toHaveLength(3);
    await Promise.all(deployments.map((d) => d.stack.destroy()));
    expect(await aiven.services()).toEqual([]);
    expect(await aiven.links()).toEqual([]);
  });
});
