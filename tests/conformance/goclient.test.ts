// Aiven's Go API client (go-client-codegen, the client inside Aiven's Terraform-based provider)
// against the emulator: tests/conformance/goclient makes the provider's calls for a primary and
// a read replica and unmarshals every answer into the client's own types.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Emulator, startEmulator } from "../../emulator";

const run = promisify(execFile);
const MODULE = path.join(__dirname, "goclient");
const TOKEN = "go-client-token";

function findGo(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = dir && path.join(dir, "go");
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const go = findGo();
if (!go) console.warn("Go client conformance skipped: `go` is not on PATH (Go 1.26 or later builds tests/conformance/goclient)");

(go ? describe : describe.skip)("Aiven's Go client (go-client-codegen) against the emulator", () => {
  let dir: string;
  let probe: string;
  let emulator: Emulator;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "goclient-"));
    probe = path.join(dir, "goclient");
    // The first build downloads the pinned module from the Go module proxy; later ones use the cache.
    await run(go!, ["build", "-o", probe, "."], { cwd: MODULE, timeout: 600_000, env: { ...process.env, GOFLAGS: "-mod=readonly" } });
    emulator = await startEmulator({ token: TOKEN, engines: "auto", buildMs: 50, backupMs: 50, promoteMs: 50 });
  }, 660_000);
  afterAll(async () => {
    await emulator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the provider's calls for a primary and a read replica all unmarshal and check out", async () => {
    const result = await run(probe, ["go-project"], {
      env: { PATH: process.env.PATH ?? "", AIVEN_WEB_URL: emulator.url, AIVEN_TOKEN: TOKEN },
      timeout: 150_000,
    }).catch((err: { stdout?: string; stderr?: string; message: string }) => ({ stdout: err.stdout ?? "", stderr: `${err.stderr ?? ""}${err.message}` }));
    expect({ last: result.stdout.trim().split("\n").pop(), stderr: result.stderr }).toEqual({ last: "ok: all checks passed", stderr: "" });
    expect(result.stdout).not.toContain("FAILED");
  }, 160_000);
});
