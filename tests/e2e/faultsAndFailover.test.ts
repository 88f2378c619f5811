// Faults injected during a deploy, and an automatic failover followed by failoverTo. The app stack
// that follows writeEndpoint through a StackReference runs under the real engine only
// (tests/acceptance/stackReference.acceptance.ts).
import { actions, E2E, example, links, PROJECT, startE2E, summary, writes } from "./helpers";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

const fault = (method: string, path: string, status: number, count: number) =>
  e2e.admin.post("/_emulator/faults", { method, path, status, count, retryAfter: 0, message: status === 429 ? "Rate limit exceeded, try again in 0s" : undefined });

test("429s and 5xx during a deploy are retried and the deploy converges", async () => {
  const services = `/v1/project/${PROJECT}/service`;
  await fault("POST", services, 429, 2);
  await fault("GET", `${services}/cache-primary`, 503, 2);
  await fault("GET", `${services}/cache-replica-aws`, 500, 1);
  await fault("GET", `${services}/cache-replica-gcp/integration`, 502, 1);

  const first = await e2e.deploy(example("valkey-basic"), { verifyReplication: "false", promote: "cache-replica-gcp" });

  expect(actions(first).filter((a) => !a.startsWith("create"))).toEqual([]);
  expect(summary(await e2e.services())).toEqual([
    "cache-primary valkey business-4 google-europe-west1 RUNNING",
    "cache-replica-aws valkey startup-4 aws-eu-west-1 RUNNING",
    "cache-replica-gcp valkey startup-4 google-europe-west1 RUNNING",
  ]);
  expect(links(await e2e.services())).toEqual(["cache-replica-aws <- cache-primary"]);
  const log = (await e2e.admin.get<{ requests: Array<{ method: string; path: string; status: number }> }>("/_emulator/requests")).data.requests;
  const statuses = (method: string, path: string) => log.filter((r) => r.method === method && r.path === path).map((r) => r.status);
  // Each fault was met, then the same call succeeded; only three services were ever created.
  expect(statuses("POST", services).filter((s) => s === 429)).toHaveLength(2);
  expect(statuses("POST", services).filter((s) => s < 300)).toHaveLength(3);
  expect(statuses("GET", `${services}/cache-primary`).slice(0, 3)).toEqual([503, 503, 200]);
  expect(statuses("GET", `${services}/cache-replica-gcp/integration`)).toEqual([502, 200]);
});

async function failedOverInfra() {
  const infra = example("promote-and-failover");
  const first = await e2e.deploy(infra);

  // The primary fails: Aiven promotes its replicas.
  await e2e.admin.post(`/_emulator/projects/${PROJECT}/services/sessions/fail`);
  expect(links(await e2e.services())).toEqual([]);
  const refreshed = await e2e.deploy(infra, {}, { previous: first, refresh: true });
  return { infra, refreshed };
}

test("after an automatic failover a refresh shows the promotion and changes nothing", async () => {
  const { refreshed } = await failedOverInfra();
  const replica = (name: string) => refreshed.resources.find((r) => r.name === `sessions-replica-${name}`)!;
  expect(replica("sessions-us").outputs.serviceIntegrations).toEqual([]);
  expect(replica("sessions-eu").outputs.serviceIntegrations).toEqual([]);
  expect(refreshed.resources.find((r) => r.name === "sessions-readiness")!.outputs).toMatchObject({ state: "POWEROFF", liveReplicas: 0 });
  expect(refreshed.resources.filter((r) => r.custom && r.action !== "same")).toEqual([]);
  expect(summary(await e2e.services())).toEqual([
    "sessions valkey business-4 google-europe-west1 POWEROFF",
    "sessions-eu valkey startup-4 google-europe-west1 RUNNING",
    "sessions-us valkey startup-4 aws-us-east-1 RUNNING",
  ]);
});

// The promotion lowers PrimaryReadiness's replicasToAdd: its update must not wait for the failed primary.
test("after an automatic failover, failoverTo moves writeEndpoint without replacing anything", async () => {
  const { infra, refreshed } = await failedOverInfra();
  await e2e.clearRequests();
  const failedOver = await e2e.deploy(infra, { failover: "true", timeoutSeconds: "1" }, { previous: refreshed });
  expect(failedOver.resources.filter((r) => ["replace", "delete"].includes(r.action))).toEqual([]);
  expect(failedOver.resources.find((r) => r.name === "sessions-promotion-sessions-us")).toMatchObject({
    action: "create",
    outputs: { integrationId: null, promoted: true },
  });
  const us = await e2e.service("sessions-us");
  expect(failedOver.outputs.writeEndpoint).toBe(us.service_uri);
  expect(failedOver.outputs.writeService).toBe("sessions-us");
  expect(writes(await e2e.requests())).toEqual([]);
});
