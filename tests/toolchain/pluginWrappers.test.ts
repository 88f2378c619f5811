import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const wrappers = path.resolve(__dirname, "..", "..", "scripts", "toolchain");
const nodeModules = path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");
const tempDirs: string[] = [];

function emptyDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-cwd-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Starts a plugin the way the CLI does and resolves with the port it announces on stdout. */
function announcedPort(file: string, cwd: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) {
        child.kill("SIGTERM");
        resolve(Number(line[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code} before announcing a port: ${err}`)));
  });
}

describe("pulumi-resource-pulumi-nodejs", () => {
  const plugin = path.join(wrappers, "pulumi-resource-pulumi-nodejs");
  const baseEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir() };
  const engine = "127.0.0.1:1"; // never dialled before the engine asks for something

  test("serves the dynamic provider of the @pulumi/pulumi found through NODE_PATH", async () => {
    const port = await announcedPort(plugin, emptyDir(), { ...baseEnv, NODE_PATH: nodeModules }, [engine]);
    expect(port).toBeGreaterThan(0);
  });

  test("serves the dynamic provider of the program directory's own node_modules", async () => {
    const program = emptyDir();
    fs.symlinkSync(nodeModules, path.join(program, "node_modules"));
    const port = await announcedPort(plugin, program, baseEnv, [engine]);
    expect(port).toBeGreaterThan(0);
  });

  test("without @pulumi/pulumi in reach it fails with a reason naming the directory", () => {
    const program = emptyDir();
    const result = spawnSync(plugin, [], { cwd: program, env: baseEnv, encoding: "utf8", timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot find @pulumi/pulumi from ${fs.realpathSync(program)}`);
    expect(result.stdout).toBe("");
  });
});

describe("pulumi-analyzer-policy", () => {
  test("without the pack's dependencies it fails with the message the CLI turns into 'run npm install'", () => {
    const pack = emptyDir();
    const result = spawnSync(path.join(wrappers, "pulumi-analyzer-policy"), ["127.0.0.1:1"], {
      cwd: emptyDir(),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), PULUMI_POLICY_PACK_DIR: pack },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    // The CLI recognises exactly this text and tells the user to install the pack's dependencies.
    expect(result.stderr).toContain("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'");
  });
});
