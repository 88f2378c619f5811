// One token for the whole set: a token given only as `apiToken` reaches the aiven.Valkey/aiven.Redis
// children through a provider the set creates, unless the user gave an Aiven provider of their own.
import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { installRecordingMocks } from "../helpers/recordingMocks";
import { ReadReplicaSet, ReadReplicaSetArgs } from "../../index";

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
