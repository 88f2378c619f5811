import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AIVEN_PLUGIN_VERSION, findToolchain } from "../acceptance/toolchain";

const goMod = fs.readFileSync(path.resolve(__dirname, "..", "..", "scripts", "toolchain", "go.mod"), "utf8");
const version = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/.exec(goMod)![1];
const caches: string[] = [];

afterAll(() => caches.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A cache whose bin/pulumi prints `reports` for `pulumi version`. */
function cacheWithCli(reports: string): string {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-find-"));
  caches.push(cache);
  fs.mkdirSync(path.join(cache, version, "bin"), { recursive: true });
  fs.writeFileSync(path.join(cache, version, "bin", "pulumi"), `#!/bin/sh\necho ${reports}\n`, { mode: 0o755 });
  return cache;
}

function installFake(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
}

describe("findToolchain", () => {
  test("no toolchain built: a skip reason that says how to build it", () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-find-"));
    caches.push(cache);
    const tc = findToolchain({ AIVEN_RR_TOOLCHAIN_CACHE: cache, PATH: "/usr/bin" });
    expect(tc.found).toBe(false);
    if (!tc.found) expect(tc.reason).toMatch(/npm run toolchain/);
  });

  test("a CLI of another version is not used", () => {
    const tc = findToolchain({ AIVEN_RR_TOOLCHAIN_CACHE: cacheWithCli("v3.1.0"), PATH: "/usr/bin" });
    expect(tc.found).toBe(false);
    if (!tc.found) expect(tc.reason).toContain(`is v3.1.0, not ${version}`);
  });

  test("the default cache lives under XDG_CACHE_HOME", () => {
    const xdg = cacheWithCli(version);
    fs.renameSync(path.join(xdg, version), path.join(xdg, "moved"));
    fs.mkdirSync(path.join(xdg, "aiven-read-replicas", "toolchain"), { recursive: true });
    fs.renameSync(path.join(xdg, "moved"), path.join(xdg, "aiven-read-replicas", "toolchain", version));
    const tc = findToolchain({ XDG_CACHE_HOME: xdg, PATH: "/usr/bin" });
    expect(tc.found && tc.pulumiBin).toBe(path.join(xdg, "aiven-read-replicas", "toolchain", version, "bin", "pulumi"));
  });

  test("a built CLI: its root for PulumiCommand, and the offline environment for every plugin", () => {
    const cache = cacheWithCli(version);
    const tc = findToolchain({ AIVEN_RR_TOOLCHAIN_CACHE: cache, PATH: "/usr/bin", NODE_PATH: "/elsewhere" });
    if (!tc.found) throw new Error(tc.reason);
    const root = path.join(cache, version);
    expect(tc.root).toBe(root);
    expect(tc.pulumiBin).toBe(path.join(root, "bin", "pulumi"));
    expect(tc.env.PATH).toBe(`${path.join(root, "bin")}:/usr/bin`);
    expect(tc.env.PULUMI_HOME).toBe(path.join(root, "home"));
    expect(tc.env.PULUMI_SKIP_UPDATE_CHECK).toBe("true");
    expect(tc.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).toBe("true");
    const [first, second] = tc.env.NODE_PATH.split(":");
    expect(fs.existsSync(path.join(first, "@pulumi", "pulumi", "cmd", "dynamic-provider"))).toBe(true);
    expect(second).toBe("/elsewhere");
    expect(tc.aivenPluginMissing).toMatch(/pulumi-resource-aiven 6\.51\.0 is not installed/);
    expect(tc.languageHostMissing).toMatch(/pulumi-language-nodejs/);
  });

  test("installed plugins are reported as present", () => {
    const cache = cacheWithCli(version);
    const root = path.join(cache, version);
    installFake(path.join(root, "home", "plugins", `resource-aiven-v${AIVEN_PLUGIN_VERSION}`, "pulumi-resource-aiven"));
    installFake(path.join(root, "bin", "pulumi-language-nodejs"));
    const tc = findToolchain({ AIVEN_RR_TOOLCHAIN_CACHE: cache, PATH: "/usr/bin" });
    if (!tc.found) throw new Error(tc.reason);
    expect(tc.aivenPluginMissing).toBeUndefined();
    expect(tc.languageHostMissing).toBeUndefined();
  });
});
