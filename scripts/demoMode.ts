// Which engine `npm run demo` runs its stack on, and the first line it prints to say so.
import type { EngineChoice, EngineCli } from "./realEngine";

/** `auto`: the real engine when a Pulumi CLI with Aiven's plugin is found, the harness otherwise. */
export type DemoEngineFlag = "auto" | "real" | "harness";

export type DemoMode = { mode: "engine"; cli: EngineCli; firstLine: string } | { mode: "harness"; firstLine: string };

export function parseEngineFlag(argv: string[]): DemoEngineFlag {
  const at = argv.findIndex((arg) => arg === "--engine" || arg.startsWith("--engine="));
  if (at < 0) return "auto";
  const value = argv[at].includes("=") ? argv[at].slice("--engine=".length) : argv[at + 1];
  if (value === "auto" || value === "real" || value === "harness") return value;
  throw new Error(`--engine takes auto, real or harness, not ${value === undefined ? "nothing" : `'${value}'`}`);
}

/** Throws when the real engine is asked for and cannot run. */
export function demoMode(flag: DemoEngineFlag, choice: () => EngineChoice): DemoMode {
  if (flag === "harness") return { mode: "harness", firstLine: "demo: on the offline harness, not the real Pulumi engine (--engine harness)" };
  const found = choice();
  if (found.engine) {
    return { mode: "engine", cli: found.engine, firstLine: `demo: on the real Pulumi engine through the Automation API: ${found.engine.where}` };
  }
  if (flag === "real") throw new Error(`--engine real: ${found.why}`);
  return { mode: "harness", firstLine: `demo: on the offline harness, not the real Pulumi engine: ${found.why}` };
}
