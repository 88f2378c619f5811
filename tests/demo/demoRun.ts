// `npm run demo` as a user runs it: compiled, then run as its own process; and what its output must
// show whichever engine ran it (npm test runs the harness, the acceptance stage the real engine).
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
const DEMO = path.join(ROOT, "dist-demo", "scripts", "demo.js");

export const hasRedis = (process.env.PATH ?? "").split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, "redis-server")));

export function compileDemo(): void {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "scripts", "tsconfig.demo.json")], { cwd: ROOT, stdio: "pipe" });
}

export interface DemoRun {
  child: ChildProcess;
  /** stdout and stderr, interleaved as they came. */
  output: () => string;
  exit: Promise<number | null>;
}

export function runDemo(args: string[] = [], env: NodeJS.ProcessEnv = process.env): DemoRun {
  const child = spawn(process.execPath, [DEMO, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** The whole flow ran: declared, (replicated), promoted, failed over, the table, destroyed. */
export function expectCompletedFlow(output: string): void {
  const lines = output.split("\n");
  const steps = lines.map((line) => /\] (\d)\/5 (\w+)/.exec(line)?.slice(1, 3).join(" ")).filter(Boolean);
  expect(steps).toEqual(["1 declare", "2 verify", "3 promote", "4 failover", "5 destroy"]);
  const row = (service: string) => lines.find((line) => line.startsWith(`${service} `))?.split(/\s{2,}/);
  expect(row("cache-primary")?.slice(0, 6)).toEqual(["cache-primary", "old primary (failed)", "POWEROFF", "google-europe-west1", "business-4", "none"]);
  expect(row("cache-replica-gcp")?.slice(0, 5)).toEqual(["cache-replica-gcp", "promoted, write endpoint", "RUNNING", "google-europe-west1", "startup-4"]);
  expect(row("cache-replica-aws")?.slice(0, 5)).toEqual(["cache-replica-aws", "promoted (standalone)", "RUNNING", "aws-eu-west-1", "startup-4"]);
  expect(output).toContain("writeEndpoint is now cache-replica-gcp");
  if (hasRedis) {
    expect(output).toMatch(/cache-replica-gcp: demo:greeting in \d+ ms/);
    expect(output).toMatch(/cache-replica-aws: demo:greeting in \d+ ms/);
    expect(output).toContain("cache-replica-aws accepts writes; cache-replica-gcp got the primary's next write");
    expect(row("cache-replica-aws")?.[6]).toBe("accepted a write; the primary's next write: not received (standalone)");
    expect(row("cache-replica-gcp")?.[6]).toBe("took a write through writeEndpoint");
  }
  // No service URI (they carry the password) and no token anywhere in what the demo printed.
  expect(output).not.toMatch(/\w+:\/\/[^\s/]*:[^\s/]+@/);
  expect(output).not.toContain("demo-token");
  expect(output).toContain("services left in the project: none");
  expect(output).toMatch(/done: .* destroyed.* in [\d.]+s/);
}
