// One token and one API URL for the whole set: a token given only as `apiToken` reaches the
// aiven.Valkey/aiven.Redis children through a provider the set creates (unless the user gave an Aiven
// provider of their own), and an apiUrl that Aiven's provider would not use (it reads only
// AIVEN_WEB_URL) is refused before anything is registered.
import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { installRecordingMocks } from "../helpers/recordingMocks";
import { PreflightError, ReadReplicaSet, ReadReplicaSetArgs } from "../../index";

type Mocks = Awaited<ReturnType<typeof installRecordingMocks>>;
let mocks: Mocks;
/** The provider reference (`urn::id`) each registration named, by logical name. */
const providers = new Map<string, string>();

beforeAll(async () => {
  process.env.AIVEN_TOKEN = "token-from-env";
  mocks = await installRecordingMocks({
    invokes: ({ inputs }) => ({ project: inputs.project, serviceName: inputs.serviceName, cloudName: "aws-eu-west-1", serviceUri: "rediss://default:pw@x:1" }),
  });
  const monitor = getMonitor() as unknown as { registerResource(req: { getName(): string; getProvider(): string }, cb: unknown): Promise<void> };
  const recording = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    providers.set(req.getName(), req.getProvider());
    return recording(req, cb);
  };
});

beforeEach(() => {
  mocks.clear();
  providers.clear();
  delete process.env.AIVEN_WEB_URL;
});

const args = (extra: Partial<ReadReplicaSetArgs> = {}): ReadReplicaSetArgs => ({
  project: "acme",
  primary: { name: "main", plan: "business-4", cloud: "google-europe-west1" },
  replicas: [{ name: "main-ro" }],
  ...extra,
});

const registered = (name: string) => mocks.registrations.find((r) => r.name === name);

describe("apiToken", () => {
  test("a token given only as apiToken reaches the services through a provider the set creates, as a secret", async () => {
    new ReadReplicaSet("tok", args({ apiToken: "explicit-token" }));
    await mocks.settle();

    const provider = registered("tok-aiven");
    expect(provider?.type).toBe("pulumi:providers:aiven");
    expect(provider?.parentUrn).toContain("ReadReplicaSet::tok");
    expect(provider?.inputs.apiToken).toEqual({ [specialSigKey]: specialSecretSig, value: "explicit-token" });
    for (const child of ["tok-primary", "tok-replica-main-ro"]) expect(providers.get(child)).toMatch(/^urn:.*pulumi:providers:aiven::tok-aiven::/);
  });

  test("the existing primary's lookup uses that provider too", async () => {
    new ReadReplicaSet("adopt", args({ primary: { name: "main", existing: true }, apiToken: "explicit-token" }));
    await mocks.settle();
    expect(mocks.invocations.map((i) => i.token)).toEqual(["aiven:index/getValkey:getValkey"]);
    expect(providers.get("adopt-replica-main-ro")).toMatch(/pulumi:providers:aiven::adopt-aiven::/);
  });

  test("without apiToken the services use the default provider (aiven:apiToken, then AIVEN_TOKEN)", async () => {
    new ReadReplicaSet("plain", args());
    await mocks.settle();
    expect(mocks.registrations.filter((r) => r.type === "pulumi:providers:aiven")).toEqual([]);
    expect(providers.get("plain-primary") ?? "").toBe("");
  });

  test.each([
    ["provider", (p: aiven.Provider) => ({ provider: p })],
    ["providers map", (p: aiven.Provider) => ({ providers: { aiven: p } })],
    ["providers list", (p: aiven.Provider) => ({ providers: [p] })],
  ])("an Aiven provider of the user's own (%s) is used, and none is created", async (_how, options) => {
    const own = new aiven.Provider("own", { apiToken: "own-token" });
    new ReadReplicaSet("mine", args({ apiToken: "explicit-token" }), options(own));
    await mocks.settle();
    expect(mocks.registrations.filter((r) => r.type === "pulumi:providers:aiven").map((r) => r.name)).toEqual(["own"]);
    expect(providers.get("mine-primary")).toMatch(/pulumi:providers:aiven::own::/);
  });

  test("a provider inherited from a parent component counts as the user's own", async () => {
    const own = new aiven.Provider("inherited", { apiToken: "own-token" });
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { providers: [own] });
    new ReadReplicaSet("child", args({ apiToken: "explicit-token" }), { parent });
    await mocks.settle();
    expect(registered("child-aiven")).toBeUndefined();
    expect(providers.get("child-primary")).toMatch(/pulumi:providers:aiven::inherited::/);
  });
});

describe("apiUrl", () => {
  test("refused when AIVEN_WEB_URL is unset: the services would go to api.aiven.io, the checks elsewhere", () => {
    const attempt = () => new ReadReplicaSet("split", args({ apiUrl: "http://127.0.0.1:4000" }));
    expect(attempt).toThrow(PreflightError);
    try {
      attempt();
    } catch (e) {
      expect((e as PreflightError).issues).toEqual([{ path: "apiUrl", message: expect.stringContaining("AIVEN_WEB_URL") }]);
      expect((e as PreflightError).issues[0].message).toContain("https://api.aiven.io");
    }
  });

  test("refused when AIVEN_WEB_URL names another API, with both URLs in the message; nothing is registered", async () => {
    process.env.AIVEN_WEB_URL = "http://127.0.0.1:5000";
    expect(() => new ReadReplicaSet("split", args({ apiUrl: "http://127.0.0.1:4000" }))).toThrow(/'http:\/\/127\.0\.0\.1:4000'.*'http:\/\/127\.0\.0\.1:5000'/s);
    await mocks.settle();
    expect(mocks.registrations).toEqual([]);
  });

  test("reported together with the other issues", () => {
    try {
      new ReadReplicaSet("many", args({ apiUrl: "http://127.0.0.1:4000", replicas: [{ name: "Bad_Name" }] }));
      throw new Error("expected a PreflightError");
    } catch (e) {
      expect((e as PreflightError).issues.map((i) => i.path).sort()).toEqual(["apiUrl", "replicas[0].name"]);
    }
  });

  test.each(["http://127.0.0.1:4000", "http://127.0.0.1:4000/", "http://127.0.0.1:4000/v1"])(
    "accepted when AIVEN_WEB_URL is the same API (%s)",
    async (envUrl) => {
      process.env.AIVEN_WEB_URL = envUrl;
      const set = new ReadReplicaSet("same", args({ apiUrl: "http://127.0.0.1:4000" }));
      await mocks.settle();
      expect(set.replicas).toHaveLength(1);
      expect(registered("same-readiness")?.inputs.apiUrl).toBe("http://127.0.0.1:4000");
    },
  );

  test("accepted with an Aiven provider of the user's own: the user chose where the services go", async () => {
    const own = new aiven.Provider("own-url", {});
    const set = new ReadReplicaSet("ownurl", args({ apiUrl: "http://127.0.0.1:4000" }), { providers: { aiven: own } });
    await mocks.settle();
    expect(set.replicas).toHaveLength(1);
  });
});
