// Deploy → verify → promote → no-op re-run → out-of-band promotion, through the real component and
// providers, against the emulator with real redis-server engines.
import { DeployError } from "../../harness";
import { withRedis } from "../../provider/replication";
import { actions, E2E, example, links, readBack, startE2E, summary, writes } from "./helpers";

const PRIMARY = "cache-primary";
const GCP = "cache-replica-gcp";
const AWS = "cache-replica-aws";
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({ engines: "auto" });
});
afterAll(() => e2e.close());

test("deploy, replicate, promote, re-run as a no-op, survive an out-of-band promotion", async () => {
  const program = example("valkey-basic");
  // Without redis-server the services are metadata only: the API flow is still checked, the data not.
  const engines = e2e.emulator.enginesEnabled;
  if (!engines) console.warn("wholeFlow: redis-server is not on PATH; replication of data is not checked");
  const base: Record<string, string> = engines ? {} : { verifyReplication: "false" };

  const first = await e2e.deploy(program, base);
  expect(actions(first).sort()).toEqual([
    `create cache-primary`,
    "create cache-readiness",
    "create cache-replica-cache-replica-aws",
    "create cache-replica-cache-replica-gcp",
    ...(engines ? ["create cache-replication-check"] : []),
  ]);
  expect(summary(await e2e.services())).toEqual([
    `${PRIMARY} valkey business-4 google-europe-west1 RUNNING`,
    `${AWS} valkey startup-4 aws-eu-west-1 RUNNING`,
    `${GCP} valkey startup-4 google-europe-west1 RUNNING`,
  ]);
  expect(links(await e2e.services())).toEqual([`${AWS} <- ${PRIMARY}`, `${GCP} <- ${PRIMARY}`]);
  expect(first.outputs.replicaServiceNames).toEqual([GCP, AWS]);
  const primary = await e2e.service(PRIMARY);
  expect(first.outputs.writeEndpoint).toBe(primary.service_uri);

  // Data written to the primary reaches both replicas.
  if (engines) {
    await withRedis(primary.service_uri, (c) => c.set("greeting", "hello"));
    for (const name of [GCP, AWS]) expect(await readBack((await e2e.service(name)).service_uri, "greeting", "hello")).toBe("hello");
  }

  // Promote the AWS replica: a second run with promote set.
  const promoted = await e2e.deploy(program, { ...base, promote: AWS }, { previous: first });
  expect(actions(promoted)).toEqual(expect.arrayContaining([`create cache-promotion-${AWS}`, `same cache-replica-${GCP}`, `same cache-replica-${AWS}`, `same ${PRIMARY}`]));
  expect(promoted.resources.filter((r) => r.action === "replace" || r.action === "delete")).toEqual([]);
  expect(links(await e2e.services())).toEqual([`${GCP} <- ${PRIMARY}`]);
  const aws = await e2e.service(AWS);
  expect(aws.state).toBe("RUNNING");
  if (engines) {
    await withRedis(aws.service_uri, (c) => c.set("written-on-aws", "yes"));
    expect(await withRedis(aws.service_uri, (c) => c.get("written-on-aws"))).toBe("yes");
    await withRedis(primary.service_uri, (c) => c.set("after-promotion", "v2"));
    expect(await readBack((await e2e.service(GCP)).service_uri, "after-promotion", "v2")).toBe("v2");
    expect(await readBack(aws.service_uri, "after-promotion", "v2", 300)).toBeNull();
  }

  // The same program again changes nothing.
  await e2e.clearRequests();
  const again = await e2e.deploy(program, { ...base, promote: AWS }, { previous: promoted });
  expect(new Set(again.resources.filter((r) => r.custom).map((r) => r.action))).toEqual(new Set(["same"]));
  expect(writes(await e2e.requests())).toEqual([]);
  expect(again.outputs).toEqual(promoted.outputs);

  // Someone promotes the GCP replica by hand (deletes its integration): re-running is still quiet.
  const link = (await e2e.service(GCP)).service_integrations.find((i) => i.dest_service === GCP)!;
  await e2e.api.delete(`/v1/project/e2e-project/integration/${link.service_integration_id}`);
  await e2e.clearRequests();
  const afterManual = await e2e.deploy(program, { ...base, promote: AWS }, { previous: again });
  expect(afterManual.resources.filter((r) => r.custom && r.action !== "same")).toEqual([]);
  expect(writes(await e2e.requests())).toEqual([]);
  expect(links(await e2e.services())).toEqual([]);

  // Declaring that promotion afterwards adopts it: nothing is deleted, no service is replaced.
  await e2e.clearRequests();
  const adopted = await e2e.deploy(program, { promote: `${AWS},${GCP}`, verifyReplication: "false" }, { previous: afterManual });
  const promotion = adopted.resources.find((r) => r.name === `cache-promotion-${GCP}`)!;
  expect(promotion).toMatchObject({ action: "create", outputs: { integrationId: null, promoted: true } });
  expect(writes(await e2e.requests())).toEqual([]);
  expect(adopted.resources.filter((r) => r.action === "replace")).toEqual([]);
  expect(summary(await e2e.services()).every((s) => s.endsWith("RUNNING"))).toBe(true);
});

test("a bad config fails before the emulator sees any request", async () => {
  await e2e.clearRequests();
  const error = await e2e
    .deploy(example("valkey-basic"), { aivenProject: "bad project!", namePrefix: "Bad_Prefix" })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  expect((error as DeployError).errors).toEqual([
    [
      "ReadReplicaSet preflight failed with 4 issue(s):",
      "project: 'bad project!' is not a valid project name; use 1-63 of letters, digits, '_' and '-'",
      "primary.name: 'Bad_Prefix-primary' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'",
      "replicas[0].name: 'Bad_Prefix-replica-gcp' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'",
      "replicas[1].name: 'Bad_Prefix-replica-aws' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'",
    ].join("\n"),
  ]);
  expect((error as DeployError).partial.resources.filter((r) => r.custom)).toEqual([]);
  expect(await e2e.requests()).toEqual([]);
});
