// Loads a Pulumi program file fresh for each run, as the language host does for each `pulumi up`,
// sharing the loaded @pulumi/pulumi and this package (its source tree's index.ts) with the harness.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import type { Program } from "./types";

/** A program from a file (`examples/x/index.ts`): its exports are the stack outputs. */
export function loadProgram(file: string): Program {
  const filename = path.resolve(file);
  return () => {
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    const js = ts.transpileModule(fs.readFileSync(filename, "utf8"), { fileName: filename, compilerOptions }).outputText;
    const module = { exports: {} as Record<string, unknown> };
    const requireFromProgram = (id: string): unknown =>
      require(id === "pulumi-aiven-read-replicas" ? path.resolve(__dirname, "..", "index") : id.startsWith(".") ? path.resolve(path.dirname(filename), id) : id);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function("exports", "require", "module", "__filename", "__dirname", js)(module.exports, requireFromProgram, module, filename, path.dirname(filename));
    return { ...module.exports };
  };
}
