// A replaced dynamic resource is deleted at the end of a successful run, by the provider serialized in
// its old state, in Pulumi's own host; a failed run deletes nothing it replaced.
import * as pulumi from "@pulumi/pulumi";
import { DeployError, RunResult } from "../../harness";
import { ReadReplicaSet } from "../../index";
import { actions, E2E, PROJECT, startE2E } from "./helpers";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

/** A provider that says which version of it ran; a change of `key` replaces. */
const versioned = (version: string): pulumi.dynamic.ResourceProvider => ({
  async create(inputs) {
    if (inputs.fail) throw new Error(`${String(inputs.key)} refused by ${version}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require("@pulumi/pulumi/log").info(`created ${String(inputs.key)} by ${version}`);
    return { id: String(inputs.key), outs: inputs };
  },
  async diff(_id, olds, news) {
    const replace = olds.key !== news.key;
    return { changes: replace, replaces: replace ? ["key"] : [] };
  },
  async delete(id) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require("@pulumi/pulumi/log").info(`deleted ${id} by ${version}`);
  },
});

class Thing extends pulumi.dynamic.Resource {
  constructor(version: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super(versioned(version), name, props, opts);
  }
}

/** `thing` with `key`, then `after`, which depends on it. */
const program = (version: string, key: string) => () => {
  const thing = new Thing(version, "thing", { key }, {});
  new Thing(version, "after", { key: `after-${key}` }, { dependsOn: [thing] });
};

const lines = (run: RunResult) => run.logs;

test("a replaced dynamic resource is deleted after the run's creates, by its old serialized provider", async () => {
  const first = await e2e.deploy(program("v1", "a"));
  expect(lines(first)).toEqual(["created a by v1", "created after-a by v1"]);

  const second = await e2e.deploy(program("v2", "b"), {}, { previous: first });
  // Last replaced first, each by the provider that created it.
  expect(actions(second)).toEqual(["replace thing", "replace after", "delete after", "delete thing"]);
  expect(lines(second)).toEqual(["created b by v2", "created after-b by v2", "deleted after-a by v1", "deleted a by v1"]);
});

test("a failed run stops at the provider's own error and deletes nothing it replaced", async () => {
  /** `thing`, and with `fail` a new resource after it that fails, and one after that. */
  const failing = (version: string, key: string, fail: boolean) => () => {
    const thing = new Thing(version, "thing", { key }, {});
    if (!fail) return;
    const bad = new Thing(version, "bad", { key: "bad", fail }, { dependsOn: [thing] });
    new Thing(version, "after", { key: "after" }, { dependsOn: [bad] });
  };
  const first = await e2e.deploy(failing("v1", "a", false));

  const error = (await e2e.deploy(failing("v2", "b", true), {}, { previous: first }).catch((e: unknown) => e)) as DeployError;
  expect(error).toBeInstanceOf(DeployError);
  expect(error.errors).toEqual(["pulumi-nodejs:dynamic:Resource bad: bad refused by v2"]);
  expect(actions(error.partial)).toEqual(["replace thing"]);
  expect(lines(error.partial)).toEqual(["created b by v2"]);
});

test("a ReplicaPromotion replaced by a renamed primary: the old one's delete logs, once, that a promotion cannot be undone", async () => {
  const set = (primary: string) => () => {
    new ReadReplicaSet("set", {
      project: PROJECT,
      primary: { name: primary, plan: "business-4", cloud: "google-europe-west1" },
      replicas: [{ name: "orders-ro", promote: true }],
      apiUrl: e2e.emulator.url,
      pollSeconds: 0.02,
      timeoutSeconds: 10,
    });
  };
  const first = await e2e.deploy(set("orders"));

  const second = await e2e.deploy(set("orders-v2"), {}, { previous: first });
  expect(actions(second)).toEqual(expect.arrayContaining(["replace set-primary", "replace set-promotion-orders-ro", "same set-replica-orders-ro"]));
  // The provider's line comes from Pulumi's host process; the harness's own lines say what it deleted, in order.
  expect(lines(second).filter((l) => l.includes("promotion cannot be undone"))).toEqual(["promotion cannot be undone; 'orders-ro' stays a standalone primary"]);
  expect(e2e.logs.filter((l) => l.startsWith("delete "))).toEqual([
    "delete  ReplicaPromotion set-promotion-orders-ro",
    "delete  PrimaryReadiness set-readiness",
    "delete  aiven.Valkey set-primary",
  ]);
  expect((await e2e.services()).map((s) => s.service_name)).toEqual(["orders-ro", "orders-v2"]);
});
