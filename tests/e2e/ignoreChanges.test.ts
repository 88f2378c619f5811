// The harness applies each registration's ignoreChanges as the engine does, and fails a change of
// an existing service's serviceIntegrations as Aiven's provider does: so a whole-flow test notices
// when the component loses `ignoreChanges: ["serviceIntegrations"]`.
import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import { ReadReplicaSet } from "../../index";
import { DeployError } from "../../harness";
import { actions, E2E, links, PROJECT, startE2E, writes } from "./helpers";

const PROVIDER_MESSAGE = "service_integrations field can only be set during creation of a service";
const CLOUD = "google-europe-west1";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

async function deployError(run: Promise<unknown>): Promise<string[]> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  return (error as DeployError).errors;
}

/** Two primaries, and (with `source`) a replica of one of them declared with aiven.Valkey directly. */
const services = (source: string | undefined, ignoreChanges: string[]) => () => {
  const a = new aiven.Valkey("src-a", { project: PROJECT, serviceName: "src-a", plan: "business-4", cloudName: CLOUD });
  const b = new aiven.Valkey("src-b", { project: PROJECT, serviceName: "src-b", plan: "business-4", cloudName: CLOUD });
  if (source) {
    new aiven.Valkey(
      "replica",
      {
        project: PROJECT,
        serviceName: "replica",
        plan: "startup-4",
        cloudName: CLOUD,
        serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: source }],
      },
      { dependsOn: [a, b], ignoreChanges },
    );
  }
};

/** Both primaries with a backup, and a replica of src-a. */
async function replicaOfA(ignoreChanges: string[]) {
  const primaries = await e2e.deploy(services(undefined, ignoreChanges));
  for (const name of ["src-a", "src-b"]) {
    for (let i = 0; i < 100 && ((await e2e.service(name)) as unknown as { backups: unknown[] }).backups.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const withReplica = await e2e.deploy(services("src-a", ignoreChanges), {}, { previous: primaries });
  expect(links(await e2e.services())).toEqual(["replica <- src-a"]);
  return withReplica;
}

test("without ignoreChanges, a changed sourceServiceName fails as Aiven's provider does, and sends nothing", async () => {
  const previous = await replicaOfA([]);
  await e2e.clearRequests();

  const errors = await deployError(e2e.deploy(services("src-b", []), {}, { previous }));
  expect(errors).toEqual([`aiven:index/valkey:Valkey replica: ${PROVIDER_MESSAGE}`]);
  expect(writes(await e2e.requests())).toEqual([]);
  expect(links(await e2e.services())).toEqual(["replica <- src-a"]);
});

test("with ignoreChanges, a changed sourceServiceName is 'same' and the state keeps the old value", async () => {
  const previous = await replicaOfA(["serviceIntegrations"]);
  await e2e.clearRequests();

  const next = await e2e.deploy(services("src-b", ["serviceIntegrations"]), {}, { previous });
  expect(actions(next)).toEqual(["same src-a", "same src-b", "same replica"]);
  expect(next.resources.find((r) => r.name === "replica")!.inputs.serviceIntegrations).toEqual([
    { integrationType: "read_replica", sourceServiceName: "src-a" },
  ]);
  expect(writes(await e2e.requests())).toEqual([]);
});

test("on a replace, ignored properties keep their old values: the new service replicates from the old source", async () => {
  const previous = await replicaOfA(["serviceIntegrations"]);
  const renamed = () => {
    services(undefined, [])();
    new aiven.Valkey(
      "replica",
      {
        project: PROJECT,
        serviceName: "replica-2",
        plan: "startup-4",
        cloudName: CLOUD,
        serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: "src-b" }],
      },
      { ignoreChanges: ["serviceIntegrations"] },
    );
  };
  const next = await e2e.deploy(renamed, {}, { previous });
  expect(actions(next)).toEqual(["same src-a", "same src-b", "replace replica"]);
  expect(links(await e2e.services())).toEqual(["replica-2 <- src-a"]);
});

/** A set with one replica; `dropIgnoreChanges` strips the component's ignoreChanges. */
const oneReplicaSet = (promote: boolean, dropIgnoreChanges = false) => () => {
  if (dropIgnoreChanges) {
    pulumi.runtime.registerStackTransformation((args) =>
      args.type === "aiven:index/valkey:Valkey" ? { props: args.props, opts: { ...args.opts, ignoreChanges: [] } } : undefined,
    );
  }
  new ReadReplicaSet("set", {
    project: PROJECT,
    primary: { name: "orders", plan: "business-4", cloud: CLOUD },
    replicas: [{ name: "orders-ro", promote }],
    apiUrl: e2e.emulator.url,
    pollSeconds: 0.02,
    timeoutSeconds: 10,
  });
};

test("a promoted replica leaves its link out: the promotion run and a refreshed run after it change no service", async () => {
  const replica = await e2e.deploy(oneReplicaSet(false));
  expect(links(await e2e.services())).toEqual(["orders-ro <- orders"]);
  const promoted = await e2e.deploy(oneReplicaSet(true), {}, { previous: replica });
  expect(links(await e2e.services())).toEqual([]);
  expect(promoted.resources.filter((r) => r.type === "aiven:index/valkey:Valkey").map((r) => r.action)).toEqual(["same", "same"]);
  await e2e.clearRequests();

  const again = await e2e.deploy(oneReplicaSet(true), {}, { previous: promoted, refresh: true });
  expect(new Set(actions(again).map((a) => a.split(" ")[0]))).toEqual(new Set(["same"]));
  expect(writes(await e2e.requests())).toEqual([]);
});

test("without the component's ignoreChanges, a refreshed run after an out-of-band promotion fails as Aiven's provider does", async () => {
  const deployed = await e2e.deploy(oneReplicaSet(false, true));
  const [link] = (await e2e.service("orders-ro")).service_integrations;
  await e2e.api.delete(`/v1/project/${PROJECT}/integration/${link.service_integration_id}`);
  const errors = await deployError(e2e.deploy(oneReplicaSet(false, true), {}, { previous: deployed, refresh: true }));
  expect(errors).toEqual([`aiven:index/valkey:Valkey set-replica-orders-ro: ${PROVIDER_MESSAGE}`]);
});
