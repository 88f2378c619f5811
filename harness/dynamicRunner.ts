// Runs dynamic resources through their serialized provider, as Pulumi's dynamic provider host
// (@pulumi/pulumi/cmd/dynamic-provider) does: deserialize `__provider`, configure once, then
// check → create, or check → diff → update / replace when a previous run left state.
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import type { PriorState } from "./aivenProviderCalls";
import { applyIgnoreChanges } from "./registrationOptions";
import type { Action } from "./types";

export const PROVIDER_KEY = "__provider";

type Provider = pulumi.dynamic.ResourceProvider;
type Props = Record<string, unknown>;

export interface DynamicResult {
  id: string;
  /** Outputs without `__provider`. */
  outputs: Props;
  action: Action;
  /** The inputs as declared, after ignoreChanges (with `__provider`). */
  inputs: Props;
}

/** `new dynConfig.Config(rawConfig, project)`: keys without a namespace belong to the project. */
function hostConfig(raw: Record<string, string>, project: string): pulumi.dynamic.Config {
  const get = (key: string) => raw[key.includes(":") ? key : `${project}:${key}`];
  return {
    get,
    require(key: string) {
      const value = get(key);
      if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return value;
    },
  } as pulumi.dynamic.Config;
}

/**
 * The host's `requireFromString(text).handler()`, evaluated in this module's realm so that the
 * provider shares its globals (token, client tuning) and `require` with the caller, as it would
 * share them with the host process.
 */
export function deserializeProvider(text: string): Provider {
  const module = { exports: {} as { handler?: () => Provider } };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const load = new Function("exports", "require", "module", "__filename", "__dirname", text);
  load(module.exports, require, module, path.join(__dirname, "__provider.js"), __dirname);
  if (typeof module.exports.handler !== "function") throw new Error("serialized provider has no handler");
  return module.exports.handler();
}

export class DynamicRunner {
  private readonly providers = new Map<string, Provider>();

  constructor(
    private readonly config: Record<string, string>,
    private readonly project: string,
  ) {}

  /** Deserialized and configured once per serialized text, as the host caches them. */
  async provider(text: unknown): Promise<Provider> {
    if (typeof text !== "string") throw new Error(`dynamic resource without a serialized provider (${PROVIDER_KEY})`);
    let provider = this.providers.get(text);
    if (!provider) {
      provider = deserializeProvider(text);
      this.providers.set(text, provider);
      await provider.configure?.({ config: hostConfig(this.config, this.project) });
    }
    return provider;
  }

  async apply(
    name: string,
    declared: Props,
    prior: PriorState & { id?: string } | undefined,
    refresh: boolean,
    ignoreChanges: readonly string[] = [],
  ): Promise<DynamicResult> {
    const provider = await this.provider(declared[PROVIDER_KEY]);
    let old = prior;
    if (old && refresh && provider.read) {
      const read = await provider.read(old.id ?? "", { ...old.outputs, [PROVIDER_KEY]: declared[PROVIDER_KEY] });
      old = read.id ? { ...old, id: read.id, outputs: strip(read.props ?? old.outputs) } : undefined;
    }
    // As the engine does before check: ignored properties keep their old input values.
    const news = old ? { ...applyIgnoreChanges(strip(declared), old.inputs, ignoreChanges), [PROVIDER_KEY]: declared[PROVIDER_KEY] } : declared;

    const checked = provider.check ? await provider.check(old?.inputs ?? {}, news) : { inputs: news, failures: [] };
    if (checked.failures && checked.failures.length > 0) {
      throw new Error(checked.failures.map((f) => `${name}: ${f.property}: ${f.reason}`).join("\n"));
    }
    const inputs: Props = { ...(checked.inputs ?? news), [PROVIDER_KEY]: news[PROVIDER_KEY] };

    if (!old) {
      const created = await provider.create(inputs);
      return { id: created.id, outputs: strip(created.outs ?? {}), action: "create", inputs: news };
    }
    const id = old.id ?? "";
    const olds = { ...old.outputs, [PROVIDER_KEY]: news[PROVIDER_KEY] };
    const diff = provider.diff ? await provider.diff(id, olds, inputs) : { changes: undefined };
    if (diff.replaces && diff.replaces.length > 0) {
      // Create before delete, the engine's default: the caller deletes the old one at the end of
      // a successful run, with the provider its state recorded (see `delete`).
      const created = await provider.create(inputs);
      return { id: created.id, outputs: strip(created.outs ?? {}), action: "replace", inputs: news };
    }
    // DIFF_UNKNOWN: the engine compares the inputs itself.
    const changes = diff.changes ?? JSON.stringify(strip(old.inputs)) !== JSON.stringify(strip(inputs));
    if (!changes) return { id, outputs: strip(old.outputs), action: "same", inputs: news };
    const updated = provider.update ? await provider.update(id, olds, inputs) : { outs: inputs };
    return { id, outputs: strip(updated.outs ?? inputs), action: "update", inputs: news };
  }

  async delete(id: string, outputs: Props, serialized: unknown): Promise<void> {
    const provider = await this.provider(serialized);
    await provider.delete?.(id, { ...outputs, [PROVIDER_KEY]: serialized });
  }
}

export function strip(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}
