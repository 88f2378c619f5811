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

/**
 * The token: the secret `apiToken` input (the user named it explicitly on the component), then
 * the provider config `aiven:apiToken`, then `AIVEN_TOKEN`.
 */
export function resolveToken(inputToken?: string): string {
  const token = [inputToken, configuredToken(), process.env.AIVEN_TOKEN].map((t) => t?.trim()).find((t) => t);
  if (!token) throw new Error(MISSING_TOKEN_MESSAGE);
  return token;
}
