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
const toolchainDir = path.resolve(__dirname, "..", "..", "scripts", "toolchain");
const required = (dir: string, module: string) =>
  new RegExp(`${module.replace(/[./]/g, "\\$&")} (v\\S+)`).exec(fs.readFileSync(path.join(toolchainDir, dir, "go.mod"), "utf8"))![1];
const yamlVersion = required("language-yaml", "github.com/pulumi/pulumi-yaml");
const pythonHostVersion = required("language-python-host", "github.com/pulumi/pulumi/sdk/v3");
const goHostVersion = required("language-go-host", "github.com/pulumi/pulumi/sdk/v3");
const pythonRequirements = path.join(toolchainDir, "python-requirements.txt");
const pythonSdkVersion = /^pulumi==(\S+)$/m.exec(fs.readFileSync(pythonRequirements, "utf8"))![1];

function run(envPath: string, cache: string, args: string[] = [], extraEnv: Record<string, string> = {}) {
  const result = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: envPath, HOME: os.tmpdir(), AIVEN_RR_TOOLCHAIN_CACHE: cache, ...extraEnv },
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
    expect(builds).toHaveLength(6);
    const fetching = go.calls().filter((call) => !/ :: env /.test(call));
    expect(fetching.length).toBeGreaterThan(1);
    for (const call of fetching) {
      expect(call).toMatch(/^GOPROXY=https:\/\/proxy\.example\.test GOTOOLCHAIN=local /); // never `direct`
    }

    const bin = path.join(cache, version, "bin");
    for (const file of ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-language-python", "pulumi-language-go", "pulumi-resource-pulumi-nodejs", "pulumi-analyzer-policy"]) {
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

  test("builds the YAML host, the Python and Go hosts behind one front, stamped, and the pinned Python SDK in a virtualenv, once", () => {
    const go = makeGo();
    const cache = tempCache();
    const first = run(go.path, cache);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const builds = go.calls().filter((call) => / :: build /.test(call));

    const yamlBuild = builds.find((call) => call.endsWith("github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"));
    expect(yamlBuild).toContain("/scripts/toolchain/language-yaml :: build -mod=readonly");
    expect(yamlBuild).toContain(`-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${yamlVersion}`);
    const hostBuild = builds.find((call) => call.endsWith("github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"));
    expect(hostBuild).toContain("/scripts/toolchain/language-python-host :: build -mod=readonly");
    expect(hostBuild).toContain(`version.Version=${pythonHostVersion}`);
    const goHostBuild = builds.find((call) => call.endsWith("github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"));
    expect(goHostBuild).toContain("/scripts/toolchain/language-go-host :: build -mod=readonly");
    expect(goHostBuild).toContain(`version.Version=${goHostVersion}`);
    const frontBuilds = builds.filter((call) => call.includes("/scripts/toolchain/language-front :: build"));
    expect(frontBuilds).toHaveLength(1);
    expect(frontBuilds[0]).toMatch(/ -o \S+\/libexec\/pulumi-language-front\.partial .* \.$/);
    expect(frontBuilds[0]).toContain(`version.Version=${version}`);
    // The front is installed under each host's name; each host sits in libexec/<language>/.
    const front = fs.readFileSync(path.join(cache, version, "libexec", "pulumi-language-front"));
    expect(fs.readFileSync(path.join(cache, version, "bin", "pulumi-language-python"))).toEqual(front);
    expect(fs.readFileSync(path.join(cache, version, "bin", "pulumi-language-go"))).toEqual(front);
    expect(fs.statSync(path.join(cache, version, "libexec", "go", "pulumi-language-go")).mode & 0o111).not.toBe(0);

    // The host runs the exec script of the CLI's own release, from the host's directory.
    const libexec = path.join(cache, version, "libexec", "python");
    expect(fs.readFileSync(path.join(libexec, "pulumi-language-python-exec"), "utf8")).toContain(`exec script of github.com/pulumi/pulumi/sdk/v3@${version}`);
    expect(fs.statSync(path.join(libexec, "pulumi-language-python")).mode & 0o111).not.toBe(0);
    const bin = path.join(cache, version, "bin");
    expect(spawnSync(path.join(bin, "pulumi-language-yaml"), { encoding: "utf8" }).stdout.trim()).toBe(yamlVersion);

    const venv = path.join(cache, version, "python");
    expect(go.pythonCalls()).toEqual([`python3 :: -m venv ${venv}`, `${venv} :: -m pip install --quiet --disable-pip-version-check -r ${pythonRequirements}`]);
    expect(first.stdout).toContain(`pulumi-language-yaml             ${bin}/pulumi-language-yaml (${yamlVersion}, runs YAML programs)`);
    expect(first.stdout).toContain(`(${pythonHostVersion} host, ${version} SDK generator)`);
    expect(first.stdout).toMatch(new RegExp(`Python SDK \\(virtualenv\\) +${venv} \\(${pythonSdkVersion.replace(/\./g, "\\.")}\\)`));
    expect(first.stdout).toMatch(/the v\S+ host is not built: github\.com\/pulumi\/pulumi\/sdk\/python\/cmd\/pulumi-language-python\/v3@v\S+: .*403 Forbidden/);
    expect(first.stdout).toContain(`pulumi-language-go               ${bin}/pulumi-language-go (${goHostVersion} host, ${version} SDK generator)`);
    expect(first.stdout).toMatch(/the v\S+ host is not built: github\.com\/pulumi\/pulumi\/sdk\/go\/pulumi-language-go\/v3@v\S+: .*403 Forbidden/);

    const second = run(go.path, cache);
    expect(second.code).toBe(0);
    expect(go.calls().filter((call) => / :: build /.test(call))).toHaveLength(6);
    expect(go.pythonCalls()).toHaveLength(2);
  });

  test("remakes the virtualenv when it was made from other requirements, and rebuilds a host built as another version", () => {
    const go = makeGo();
    const cache = tempCache();
    expect(run(go.path, cache).code).toBe(0);
    const bin = path.join(cache, version, "bin");
    fs.writeFileSync(path.join(cache, version, "python", "requirements.txt"), "pulumi==3.0.0\n");
    fs.writeFileSync(path.join(bin, "pulumi-language-yaml.version"), "v0.0.1\n");
    const callsBefore = go.calls().length;
    expect(run(go.path, cache).code).toBe(0);
    const rebuilt = go.calls().slice(callsBefore).filter((call) => / :: build /.test(call));
    expect(rebuilt).toHaveLength(1);
    expect(rebuilt[0]).toMatch(/pulumi-language-yaml$/);
    expect(go.pythonCalls().filter((call) => call.startsWith("python3 :: -m venv"))).toHaveLength(2);
  });

  test("a front built from other sources is rebuilt, once for both languages, and installed under both names", () => {
    const go = makeGo();
    const cache = tempCache();
    expect(run(go.path, cache).code).toBe(0);
    const libexec = path.join(cache, version, "libexec");
    const bin = path.join(cache, version, "bin");
    // What the records say after a build from sources with another checksum.
    const records = [path.join(libexec, "pulumi-language-front.version"), path.join(bin, "pulumi-language-python.version"), path.join(bin, "pulumi-language-go.version")];
    for (const file of records) fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/ \d+\n$/, " 12345\n"));
    fs.writeFileSync(path.join(bin, "pulumi-language-go"), "stale");
    const callsBefore = go.calls().length;
    expect(run(go.path, cache).code).toBe(0);
    const rebuilt = go.calls().slice(callsBefore).filter((call) => / :: build /.test(call));
    expect(rebuilt.filter((call) => call.includes("/scripts/toolchain/language-front :: build"))).toHaveLength(1);
    for (const file of records) expect(fs.readFileSync(file, "utf8")).not.toContain("12345");
    expect(fs.readFileSync(path.join(bin, "pulumi-language-go"))).toEqual(fs.readFileSync(path.join(libexec, "pulumi-language-front")));
  });

  test("without the Python it names, only the Python SDK is missing, and the summary says so", () => {
    const go = makeGo();
    const cache = tempCache();
    const result = run(go.path, cache, [], { AIVEN_RR_TOOLCHAIN_PYTHON: "python-not-installed-here" });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Python SDK \(virtualenv\) +NOT READY: python-not-installed-here is not installed/);
    expect(fs.existsSync(path.join(cache, version, "python"))).toBe(false);
    expect(fs.existsSync(path.join(cache, version, "bin", "pulumi-language-python"))).toBe(true);
  });

  test("a pip that fails leaves no half-made virtualenv, says why, and the rest of the toolchain is ready", () => {
    const go = makeGo();
    // A python3 whose virtualenvs have a pip that fails.
    fs.writeFileSync(path.join(go.dir, "python3"), `#!/bin/sh\nmkdir -p "$3/bin"\nprintf '#!/bin/sh\\necho "ERROR: no matching distribution" >&2\\nexit 1\\n' > "$3/bin/python"\nchmod +x "$3/bin/python"\n`, { mode: 0o755 });
    const cache = tempCache();
    const result = run(go.path, cache);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("ERROR: no matching distribution");
    expect(result.stdout).toMatch(/Python SDK \(virtualenv\) +NOT READY: installing \S+python-requirements\.txt into a virtualenv failed/);
    expect(fs.existsSync(path.join(cache, version, "python"))).toBe(false);
    expect(result.stdout).toContain(`pulumi ${version} ready`);
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
