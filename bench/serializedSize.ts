import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const PROVIDERS = {
  replicaPromotion: ["replicaPromotion", "replicaPromotionProvider"],
  primaryReadiness: ["primaryReadiness", "primaryReadinessProvider"],
  replicationCheck: ["replicationCheck", "replicationCheckProvider"],
} as const;
export type ProviderName = keyof typeof PROVIDERS;

export interface SerializedFigures {
  /** As a user gets it: the package under node_modules, so Pulumi requires its modules by path. */
  installed: Record<ProviderName, number> | null;
  /** From the source tree, where Pulumi inlines every local module. */
  sourceTree: Record<ProviderName, number>;
  installedSkipped?: string;
}

const ROOT = path.resolve(__dirname, __filename.endsWith(".js") ? "../../.." : "..");

/** What pulumi.dynamic.Resource stores in `__provider` (serializeProvider in @pulumi/pulumi/dynamic). */
async function serializedBytes(provider: object): Promise<number> {
  const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return Buffer.byteLength(text, "utf8");
}

async function measureFrom(providerDir: string): Promise<Record<ProviderName, number>> {
  const sizes = {} as Record<ProviderName, number>;
  for (const [name, [file, exported]] of Object.entries(PROVIDERS) as [ProviderName, readonly [string, string]][]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(providerDir, file)) as Record<string, object>;
    sizes[name] = await serializedBytes(mod[exported]);
  }
  return sizes;
}

/** The bench's own build of provider/; none under ts-jest, whose module registry hides modules from Pulumi's serializer. */
function compiledProviderDir(): string | undefined {
  const dir = path.resolve(__dirname, "../provider");
  return __filename.endsWith(".js") && fs.existsSync(path.join(dir, "replicaPromotion.js")) ? dir : undefined;
}

/**
 * Installs the compiled package as `node_modules/pulumi-aiven-read-replicas` of a temporary
 * project (its dependencies linked to ours: no network), then serializes from there.
 */
async function measureInstalled(compiled: string): Promise<Record<ProviderName, number>> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "bench-installed-"));
  try {
    const modules = path.join(project, "node_modules");
    const pkg = path.join(modules, "pulumi-aiven-read-replicas");
    fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkg, "package.json"));
    fs.cpSync(compiled, path.join(pkg, "dist/provider"), { recursive: true });
    for (const dep of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (dep.startsWith(".") || dep === "pulumi-aiven-read-replicas") continue;
      fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(modules, dep));
    }
    return await measureFrom(path.join(pkg, "dist/provider"));
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

export async function measureSerialized(): Promise<SerializedFigures> {
  // provider/ beside this file: the .ts sources under ts-jest, their local build when compiled.
  const sourceTree = await measureFrom(path.resolve(__dirname, "../provider"));
  const compiled = compiledProviderDir();
  if (!compiled) return { sourceTree, installed: null, installedSkipped: "not compiled: run npm run bench" };
  return { sourceTree, installed: await measureInstalled(compiled) };
}
