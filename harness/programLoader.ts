// Loads a Pulumi program file fresh for each run, as the language host does for each `pulumi up`,
// while sharing the already loaded @pulumi/pulumi and package modules with the harness.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import type { Program } from "./types";

export const PACKAGE_NAME = "pulumi-aiven-read-replicas";
/** The package's root module: `index.ts` in the source tree (not package.json's `main`, the build). */
export const PACKAGE_ENTRY = path.resolve(__dirname, "..", "index");

/** A program from a file (`examples/x/index.ts`): its exports are the stack outputs. */
export function loadProgram(file: string): Program {
  const filename = path.resolve(file);
  return () => {
    const source = fs.readFileSync(filename, "utf8");
    const js = filename.endsWith(".ts")
      ? ts.transpileModule(source, {
          fileName: filename,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText
      : source;
    const module = { exports: {} as Record<string, unknown> };
    const requireFromProgram = (id: string): unknown => {
      if (id === PACKAGE_NAME) return require(PACKAGE_ENTRY);
      if (id.startsWith(".")) return require(path.resolve(path.dirname(filename), id));
      return require(id);
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function("exports", "require", "module", "__filename", "__dirname", js)(module.exports, requireFromProgram, module, filename, path.dirname(filename));
    return { ...module.exports };
  };
}
