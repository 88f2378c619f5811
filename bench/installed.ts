import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root, from bench/ under ts-jest or bench/.build/bench when compiled. */
export const ROOT = path.resolve(__dirname, __filename.endsWith(".js") ? "../../.." : "..");
/** The bench's own build (bench/.build), present only when the bench runs compiled. */
export const BUILD = __filename.endsWith(".js") ? path.resolve(__dirname, "..") : undefined;

export interface Installed {
  /** `<project>/node_modules/pulumi-aiven-read-replicas/dist`. */
  dist: string;
  dispose(): void;
}

/**
 * The compiled package as a user has it: `node_modules/pulumi-aiven-read-replicas` of a temporary
 * project, its dependencies linked to ours (no network). Pulumi's closure serializer then
 * refers to its modules by require path instead of inlining them.
 */
export function installCompiled(build: string, dirs: string[]): Installed {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "bench-installed-"));
  const modules = path.join(project, "node_modules");
  const pkg = path.join(modules, "pulumi-aiven-read-replicas");
  fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkg, "package.json"));
  for (const dir of dirs) fs.cpSync(path.join(build, dir), path.join(pkg, "dist", dir), { recursive: true });
  for (const dep of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (dep.startsWith(".") || dep === "pulumi-aiven-read-replicas") continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(modules, dep));
  }
  return { dist: path.join(pkg, "dist"), dispose: () => fs.rmSync(project, { recursive: true, force: true }) };
}
