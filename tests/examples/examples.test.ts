// Every example, run through the offline harness against the emulator; asserts what it left there.
import { AivenClient } from "../../provider/aivenClient";
import { actions, E2E, example, links, PROJECT, startE2E, summary, TOKEN, writes } from "../e2e/helpers";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

test("valkey-basic: a primary and two replicas in two clouds", async () => {
  const run = await e2e.deploy(example("valkey-basic"), { verifyReplication: "false" });
  expect(summary(await e2e.services())).toEqual([
    "cache-primary valkey business-4 google-europe-west1 RUNNING",
    "cache-replica-aws valkey startup-4 aws-eu-west-1 RUNNING",
    "cache-replica-gcp valkey startup-4 google-europe-west1 RUNNING",
  ]);
  expect(links(await e2e.services())).toEqual(["cache-replica-aws <- cache-primary", "cache-replica-gcp <- cache-primary"]);
  expect(run.outputs).toMatchObject({
    primaryServiceName: "cache-primary",
    replicaServiceNames: ["cache-replica-gcp", "cache-replica-aws"],
    writeEndpoint: (await e2e.service("cache-primary")).service_uri,
  });
});

test("existing-primary: replicas join a primary that this stack does not manage", async () => {
  const client = new AivenClient({ token: TOKEN, apiUrl: e2e.emulator.url });
  await client.createService(PROJECT, { service_name: "orders", service_type: "valkey", plan: "business-8", cloud: "azure-westeurope" });
  await e2e.clearRequests();

  const run = await e2e.deploy(example("existing-primary"), { primaryName: "orders", replicaCount: "2" });
  expect(actions(run).sort()).toEqual(["create orders-readiness", "create orders-replica-orders-replica-1", "create orders-replica-orders-replica-2"]);
  expect(summary(await e2e.services())).toEqual([
    "orders valkey business-8 azure-westeurope RUNNING",
    "orders-replica-1 valkey startup-4 azure-westeurope RUNNING",
    "orders-replica-2 valkey startup-4 azure-westeurope RUNNING",
  ]);
  expect(links(await e2e.services())).toEqual(["orders-replica-1 <- orders", "orders-replica-2 <- orders"]);
  // The primary was only read: the two writes are the replicas' creations.
  expect(writes(await e2e.requests())).toEqual([`POST /v1/project/${PROJECT}/service`, `POST /v1/project/${PROJECT}/service`]);
  expect(run.outputs.primaryServiceName).toBe("orders");
});

// The app stack that follows writeEndpoint through a StackReference runs under the real engine only
// (tests/acceptance/examples.acceptance.ts and stackReference.acceptance.ts).
test("promote-and-failover: failover by config moves writeEndpoint to the promoted replica, nothing replaced", async () => {
  const infra = example("promote-and-failover");
  const before = await e2e.deploy(infra);
  expect(before.outputs.writeEndpoint).toBe((await e2e.service("sessions")).service_uri);

  const after = await e2e.deploy(infra, { failover: "true" }, { previous: before });
  expect(after.resources.filter((r) => r.action === "replace" || r.action === "delete")).toEqual([]);
  expect(links(await e2e.services())).toEqual(["sessions-eu <- sessions"]);
  const us = await e2e.service("sessions-us");
  expect(us.state).toBe("RUNNING");
  expect(after.outputs.writeEndpoint).toBe(us.service_uri);
});

test("caching-legacy: a business-4 primary and a startup-4 replica of type redis, with the end-of-life warning", async () => {
  // The program's pulumi.log goes where Pulumi's runtime sends it without an engine: the console.
  const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  const run = await e2e.deploy(example("caching-legacy"));
  const warnings = warn.mock.calls.map(([line]) => String(line));
  warn.mockRestore();
  expect(summary(await e2e.services())).toEqual([
    "legacy-cache-primary redis business-4 google-europe-west1 RUNNING",
    "legacy-cache-replica redis startup-4 google-europe-west1 RUNNING",
  ]);
  expect(links(await e2e.services())).toEqual(["legacy-cache-replica <- legacy-cache-primary"]);
  expect(warnings).toEqual([
    "warning: [runtime] Aiven for Caching (service type redis) reached end of life on 2025-03-31 and its services were upgraded to Aiven for Valkey; declare new sets with serviceType 'valkey'.",
  ]);
  expect(run.resources.map((r) => r.type).filter((t) => t.startsWith("aiven:"))).toEqual(["aiven:index/redis:Redis", "aiven:index/redis:Redis"]);
});
