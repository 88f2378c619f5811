import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { BUILD, installCompiled } from "./installed";

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

export async function measureSerialized(): Promise<SerializedFigures> {
  // provider/ beside this file: the .ts sources under ts-jest, their local build when compiled.
  const sourceTree = await measureFrom(path.resolve(__dirname, "../provider"));
  // Not under ts-jest: its module registry hides modules from Pulumi's serializer.
  if (!BUILD) return { sourceTree, installed: null, installedSkipped: "not compiled: run npm run bench" };
  const installed = installCompiled(BUILD, ["provider"]);
  try {
    return { sourceTree, installed: await measureFrom(path.join(installed.dist, "provider")) };
  } finally {
    installed.dispose();
  }
}
