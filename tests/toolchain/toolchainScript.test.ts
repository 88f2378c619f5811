import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeGo, makeFakeGo } from "./fakeGo";

const script = path.resolve(__dirname, "..", "..", "scripts", "toolchain.sh");
const goMod = fs.readFileSync(path.resolve(__dirname, "..", "..", "scripts", "toolchain", "go.mod"), "utf8");
const version = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/.exec(goMod)![1];
const languageGoMod = path.resolve(__dirname, "..", "..", "scripts", "toolchain", "language-nodejs", "go.mod");
const languageVersion = /github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/.exec(fs.readFileSync(languageGoMod, "utf8"))![1];

function run(envPath: string, cache: string, args: string[] = []) {
  const result = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: envPath, HOME: os.tmpdir(), AIVEN_RR_TOOLCHAIN_CACHE: cache },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempCache(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-cache-"));
  tempDirs.push(dir);
  return dir;
}

function makeGo(opts: Parameters<typeof makeFakeGo>[0] = {}): FakeGo {
  const go = makeFakeGo(opts);
  tempDirs.push(go.dir);
  return go;
}

describe("scripts/toolchain.sh", () => {
  test("without Go it says so, exits non-zero and builds nothing", () => {
    const cache = tempCache();
    const result = run("/usr/bin:/bin", cache);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Go is not installed/);
    expect(fs.readdirSync(cache)).toEqual([]);
  });

  test("builds the CLI stamped with the pinned version through the module proxy only, then reuses it", () => {
    const go = makeGo({ goproxy: "https://proxy.example.test,direct" });
    const cache = tempCache();
    const first = run(go.path, cache);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);

    const builds = go.calls().filter((call) => / :: build /.test(call));
    const cliBuild = builds.find((call) => call.endsWith("github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"));
    expect(cliBuild).toBeDefined();
    expect(cliBuild).toContain("-mod=readonly");
    expect(cliBuild).toContain(`-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`);
    const hostBuild = builds.find((call) => call.endsWith("github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"));
    expect(hostBuild).toContain(`/scripts/toolchain/language-nodejs :: build -mod=readonly`);
    expect(hostBuild).toContain(`version.Version=${languageVersion}`);
    expect(builds).toHaveLength(2);
    const fetching = go.calls().filter((call) => !/ :: env /.test(call));
    expect(fetching.length).toBeGreaterThan(1);
    for (const call of fetching) {
      expect(call).toMatch(/^GOPROXY=https:\/\/proxy\.example\.test GOTOOLCHAIN=local /); // never `direct`
    }

    const bin = path.join(cache, version, "bin");
    for (const file of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "pulumi-analyzer-policy"]) {
      expect(fs.statSync(path.join(bin, file)).mode & 0o111).not.toBe(0);
    }
    expect(first.stdout).toContain(`pulumi ${version} ready (built in`);
    expect(first.stdout).toContain(`export PATH="${bin}:$PATH"`);
    expect(first.stdout).toContain(`export PULUMI_HOME="${path.join(cache, version, "home")}"`);
    expect(first.stdout).toContain("export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true");
    // What cannot be built is named with the proxy's own answer.
    expect(first.stdout).toMatch(/the v\S+ host is not built: github\.com\/pulumi\/pulumi\/sdk\/nodejs\/cmd\/pulumi-language-nodejs\/v3@v\S+: .*403 Forbidden/);
    expect(first.stdout).toMatch(/pulumi-resource-aiven 6\.51\.0 +NOT BUILT: github\.com\/pulumi\/pulumi-aiven\/provider\/v6@v6\.51\.0: .*403 Forbidden/);

    const callsBefore = go.calls().length;
    const second = run(go.path, cache);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`pulumi ${version} ready (cached)`);
    expect(go.calls().slice(callsBefore).filter((call) => / :: build /.test(call))).toEqual([]);
  });

  test("--env prints only export lines a shell can eval", () => {
    const go = makeGo();
    const cache = tempCache();
    const result = spawnSync("bash", ["-c", `eval "$(bash "$0" --env)" && echo "$PULUMI_HOME|$PULUMI_SKIP_UPDATE_CHECK" && command -v pulumi`, script], {
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: go.path, HOME: os.tmpdir(), AIVEN_RR_TOOLCHAIN_CACHE: cache },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      `${path.join(cache, version, "home")}|true`,
      path.join(cache, version, "bin", "pulumi"),
    ]);
  });

  test("refuses a Go older than the one the CLI needs", () => {
    const go = makeGo({ goVersion: "1.21.0" });
    const result = run(go.path, tempCache());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Go 1\.21\.0 is too old/);
    expect(go.calls().filter((call) => / :: build /.test(call))).toEqual([]);
  });

  test("refuses a GOPROXY that names no module proxy rather than fetching from source hosts", () => {
    const go = makeGo({ goproxy: "direct" });
    const result = run(go.path, tempCache());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/GOPROXY \(direct\) names no module proxy/);
    expect(go.calls().filter((call) => / :: build /.test(call))).toEqual([]);
  });

  test("fails when the built binary does not report the pinned version", () => {
    const go = makeGo({ stampOverride: "v0.0.0-dev" });
    const result = run(go.path, tempCache());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/does not report version/);
  });
});
