// The token never lives in a variable that a provider's closure captures: Pulumi serializes
// that closure into state. `configure` runs only inside the provider host, after
// serialization, and parks the token on the global object under a registered symbol;
// serializeFunction captures `globalThis` as a reference, never its contents.
const CONFIGURED_TOKEN = "pulumi-aiven-read-replicas/configured-aiven-token";

type TokenStore = { [key: symbol]: string | undefined };

/** Called by the providers' `configure` with the value of `aiven:apiToken`. */
export function rememberConfiguredToken(token: string | undefined): void {
  (globalThis as unknown as TokenStore)[Symbol.for(CONFIGURED_TOKEN)] = token?.trim() ? token.trim() : undefined;
}

export function configuredToken(): string | undefined {
  return (globalThis as unknown as TokenStore)[Symbol.for(CONFIGURED_TOKEN)];
}

export const MISSING_TOKEN_MESSAGE =
  "no Aiven API token: pass apiToken to ReadReplicaSet, set the Pulumi config aiven:apiToken " +
  "(pulumi config set --secret aiven:apiToken ...), or set the AIVEN_TOKEN environment variable";

type Environment = Record<string, string | undefined>;

/**
 * The token: the secret `apiToken` input (the user named it explicitly on the component), then
 * the provider config `aiven:apiToken`, then `AIVEN_TOKEN` in `env`. `missing` is the error
 * when there is none: it names the sources its caller offers (the CLI has only AIVEN_TOKEN).
 */
export function resolveToken(inputToken?: string, env: Environment = process.env, missing = MISSING_TOKEN_MESSAGE): string {
  const token = [inputToken, configuredToken(), env.AIVEN_TOKEN].map((t) => t?.trim()).find((t) => t);
  if (!token) throw new Error(missing);
  return token;
}

export const DEFAULT_API_URL = "https://api.aiven.io";

/** The base URL: the given one, then `AIVEN_WEB_URL` in `env`, then https://api.aiven.io; without trailing `/` or `/v1`. */
export function resolveApiUrl(input?: string, env: Environment = process.env): string {
  const pick = [input, env.AIVEN_WEB_URL].map((v) => v?.trim()).find((v) => v);
  return (pick ?? DEFAULT_API_URL).replace(/\/+$/, "").replace(/\/v1$/, "");
}
