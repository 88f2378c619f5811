// Which engine `npm run demo` picks, and the first line that says so.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoMode, parseEngineFlag } from "../../scripts/demoMode";
import { AIVEN_PLUGIN_VERSION, Toolchain } from "../../scripts/findToolchain";
import { aivenPluginPath, chooseEngine, EngineChoice } from "../../scripts/realEngine";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-mode-"));
  dirs.push(dir);
  return dir;
}

function installFake(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
}

const built: Toolchain = { found: true, version: "v3.274.1", root: "/cache/v3.274.1", pulumiBin: "/cache/v3.274.1/bin/pulumi", pulumiHome: "/cache/v3.274.1/home", env: { PULUMI_HOME: "/cache/v3.274.1/home" } };
const notBuilt: Toolchain = { found: false, reason: "no Pulumi CLI at /cache/bin/pulumi: run `npm run toolchain`" };

describe("chooseEngine", () => {
  test("the built toolchain with Aiven's plugin: its CLI and environment", () => {
    const choice = chooseEngine({ PATH: "/usr/bin" }, built);
    expect(choice.engine).toEqual({ root: built.root, pulumiBin: built.pulumiBin, where: `${built.pulumiBin} (v3.274.1)`, env: built.env });
  });

  test("the built toolchain without Aiven's plugin: not used, and why", () => {
    const choice = chooseEngine({ PATH: "/usr/bin" }, { ...built, aivenPluginMissing: "pulumi-resource-aiven 6.51.0 is not installed in /cache/v3.274.1/home" });
    expect(choice.engine).toBeUndefined();
    expect(!choice.engine && choice.why).toBe(`the Pulumi CLI ${built.pulumiBin} was found, but pulumi-resource-aiven 6.51.0 is not installed in /cache/v3.274.1/home`);
  });

  test("no toolchain, a pulumi on PATH with Aiven's plugin in its PULUMI_HOME: that CLI", () => {
    const install = tempDir();
    const home = tempDir();
    installFake(path.join(install, "bin", "pulumi"));
    installFake(aivenPluginPath(home));
    const choice = chooseEngine({ PATH: `/nonexistent${path.delimiter}${path.join(install, "bin")}`, PULUMI_HOME: home }, notBuilt);
    expect(choice.engine?.root).toBe(install);
    expect(choice.engine?.pulumiBin).toBe(path.join(install, "bin", "pulumi"));
    expect(choice.engine?.env.PULUMI_HOME).toBe(home);
    expect(choice.engine?.env.NODE_PATH).toContain("node_modules");
  });

  test("no toolchain, a pulumi on PATH but no Aiven plugin in ~/.pulumi: the harness, and why", () => {
    const install = tempDir();
    const userHome = tempDir();
    installFake(path.join(install, "bin", "pulumi"));
    const choice = chooseEngine({ PATH: path.join(install, "bin"), HOME: userHome }, notBuilt);
    expect(!choice.engine && choice.why).toBe(
      `the Pulumi CLI ${path.join(install, "bin", "pulumi")} was found, but pulumi-resource-aiven ${AIVEN_PLUGIN_VERSION} is not installed in ${path.join(userHome, ".pulumi")}`,
    );
  });

  test("a file named pulumi that is not executable does not count", () => {
    const install = tempDir();
    fs.writeFileSync(path.join(install, "pulumi"), "not a program", { mode: 0o644 });
    const choice = chooseEngine({ PATH: install }, notBuilt);
    expect(!choice.engine && choice.why).toBe(`no Pulumi CLI on PATH, and ${notBuilt.reason}`);
  });
});

describe("demoMode", () => {
  const engine: EngineChoice = { engine: { root: "/opt/pulumi", pulumiBin: "/opt/pulumi/bin/pulumi", where: "/opt/pulumi/bin/pulumi", env: {} } };
  const none: EngineChoice = { why: "no Pulumi CLI on PATH" };

  test("auto: the real engine when found, named on the first line", () => {
    const mode = demoMode("auto", () => engine);
    expect(mode.mode).toBe("engine");
    expect(mode.firstLine).toBe("demo: on the real Pulumi engine through the Automation API: /opt/pulumi/bin/pulumi");
  });

  test("auto: the harness otherwise, with the reason on the first line", () => {
    expect(demoMode("auto", () => none)).toEqual({ mode: "harness", firstLine: "demo: on the offline harness, not the real Pulumi engine: no Pulumi CLI on PATH" });
  });

  test("harness: the engine is not even looked for", () => {
    const look = jest.fn(() => engine);
    expect(demoMode("harness", look).mode).toBe("harness");
    expect(look).not.toHaveBeenCalled();
  });

  test("real: no fallback when the engine is missing", () => {
    expect(() => demoMode("real", () => none)).toThrow("--engine real: no Pulumi CLI on PATH");
    expect(demoMode("real", () => engine).mode).toBe("engine");
  });

  test("the --engine flag", () => {
    expect(parseEngineFlag([])).toBe("auto");
    expect(parseEngineFlag(["--engine", "harness"])).toBe("harness");
    expect(parseEngineFlag(["--engine=real"])).toBe("real");
    expect(() => parseEngineFlag(["--engine", "fast"])).toThrow("--engine takes auto, real or harness, not 'fast'");
    expect(() => parseEngineFlag(["--engine"])).toThrow("not nothing");
  });
});
