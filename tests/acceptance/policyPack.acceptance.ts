// The policy pack in policy/ under the real `pulumi preview --policy-pack`, on hand-written stacks of
// aiven.Valkey / aiven.Redis services: every broken rule is reported on its resource, a mandatory
// one fails the preview, an advisory one does not, and a stack that keeps every rule passes.
// Needs pulumi-resource-aiven in the toolchain's PULUMI_HOME.
import * as aiven from "@pulumi/aiven";
import type { PolicyEvent } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { POLICY } from "../../policy/policies";
import { describeEngine, EngineStack, failedRun, nameOf, Run, toolchain } from "./engine";
import { PROJECT, useEngineFixture } from "./emulatorFixture";

const PACK_DIR = path.resolve(__dirname, "../../policy");
const MANDATORY = [POLICY.replicaPlan, POLICY.replicasPerPrimary, POLICY.replicaServiceType, POLICY.replicaSourceDeclared];

interface ReplicaShape {
  resource: string;
  plan?: string;
  type?: "valkey" | "redis";
  /** A service name; the primary's serviceName output when left out. */
  source?: string;
}

interface StackShape {
  protectPrimary: boolean;
  ignoreIntegrations: boolean;
  replicas: ReplicaShape[];
}

/** A primary `shop-primary` and its replicas, declared the way a stack without the component does. */
function handWritten(shape: StackShape) {
  return async () => {
    const primary = new aiven.Valkey("primary", {
      project: PROJECT,
      serviceName: "shop-primary",
      plan: "business-4",
      cloudName: "google-europe-west1",
      ...(shape.protectPrimary ? { terminationProtection: true } : {}),
    });
    for (const replica of shape.replicas) {
      const args = {
        project: PROJECT,
        serviceName: `shop-${replica.resource}`,
        plan: replica.plan ?? "startup-4",
        cloudName: "google-europe-west1",
        serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: replica.source ?? primary.serviceName }],
      };
      const opts = shape.ignoreIntegrations ? { ignoreChanges: ["serviceIntegrations"] } : {};
      if (replica.type === "redis") new aiven.Redis(replica.resource, args, opts);
      else new aiven.Valkey(replica.resource, args, opts);
    }
    return { primary: primary.serviceName };
  };
}

const fiveReplicas = (): ReplicaShape[] => ["replica-1", "replica-2", "replica-3", "replica-4", "replica-5"].map((resource) => ({ resource }));

const policyEvents = (run: Run): PolicyEvent[] => run.events.flatMap((e) => (e.policyEvent ? [e.policyEvent] : []));

/** `policy resource level` of every violation, sorted (the engine sends "advisory", not the typings' "warning"). */
const violations = (run: Run): string[] =>
  policyEvents(run)
    .map((p) => `${p.policyName} ${p.resourceUrn ? nameOf(p.resourceUrn) : "-"} ${p.enforcementLevel}`)
    .sort();

describeEngine(
  "the policy pack under pulumi preview",
  () => {
    // The CLI starts pulumi-analyzer-policy, which runs the pack in PULUMI_POLICY_PACK_DIR.
    const engine = useEngineFixture({ env: (fixture) => ({ PULUMI_POLICY_PACK_DIR: PACK_DIR, AIVEN_TOKEN: fixture.token }) });

    /**
     * A stack of the program whose preview runs with the pack. EngineStack.preview takes no options,
     * so the pack is added to the Automation API's own preview call, which it makes.
     */
    async function stackWithPack(stackName: string, shape: StackShape, packConfig?: Record<string, unknown>): Promise<EngineStack> {
      if (!toolchain.found) throw new Error(toolchain.reason);
      const workDir = engine.ctx.newWorkDir();
      const stack = await engine.stack({ projectName: "hand-written", stackName, program: handWritten(shape) }, { workDir });
      const policyPackConfigs: string[] = [];
      if (packConfig) {
        const file = path.join(workDir, "policy-config.json");
        fs.writeFileSync(file, JSON.stringify(packConfig));
        policyPackConfigs.push(file);
      }
      const policyPacks = [path.join(path.dirname(toolchain.pulumiBin), "pulumi-analyzer-policy")];
      const automation = stack.stack;
      const preview = automation.preview.bind(automation);
      automation.preview = (opts) => preview({ ...opts, policyPacks, policyPackConfigs });
      return stack;
    }

    test("a stack that breaks every rule: each violation on its resource, the mandatory ones fail the preview", async () => {
      const stack = await stackWithPack("broken", {
        protectPrimary: false,
        ignoreIntegrations: false,
        replicas: [
          ...fiveReplicas().map((r) => (r.resource === "replica-5" ? { ...r, plan: "business-8" } : r)),
          { resource: "replica-redis", type: "redis" },
          { resource: "replica-typo", source: "shop-primray" },
        ],
      });
      const { run } = await failedRun(stack.preview());
      const replicas = ["replica-1", "replica-2", "replica-3", "replica-4", "replica-5", "replica-redis", "replica-typo"];
      expect(violations(run)).toEqual(
        [
          `${POLICY.replicaPlan} replica-5 mandatory`,
          `${POLICY.replicasPerPrimary} primary mandatory`,
          `${POLICY.replicaServiceType} replica-redis mandatory`,
          `${POLICY.replicaSourceDeclared} replica-typo mandatory`,
          `${POLICY.primaryTerminationProtection} primary advisory`,
          ...replicas.map((r) => `${POLICY.serviceIntegrationsFixed} ${r} advisory`),
        ].sort(),
      );
      const message = (policy: string) => policyEvents(run).find((p) => p.policyName === policy)?.message ?? "";
      expect(message(POLICY.replicaPlan)).toContain("aiven.Valkey 'replica-5' (service 'shop-replica-5')");
      expect(message(POLICY.replicasPerPrimary)).toContain("source service 'shop-primary'");
      expect(message(POLICY.replicaServiceType)).toContain("aiven.Redis 'replica-redis'");
      expect(message(POLICY.replicaSourceDeclared)).toContain("did you mean 'shop-primary'?");
      // What a pipeline's log shows: every mandatory policy with its resource.
      for (const policy of MANDATORY) expect(run.stdout).toContain(policy);
      for (const name of ["replica-5", "replica-redis", "replica-typo", "shop-primary"]) expect(run.stdout).toContain(name);
    });

    test("advisory violations are reported, and the preview passes", async () => {
      const stack = await stackWithPack("advisory-only", { protectPrimary: false, ignoreIntegrations: false, replicas: fiveReplicas() });
      const { run } = await stack.preview();
      expect(violations(run)).toEqual(
        [`${POLICY.primaryTerminationProtection} primary advisory`, ...fiveReplicas().map((r) => `${POLICY.serviceIntegrationsFixed} ${r.resource} advisory`)].sort(),
      );
    });

    test("a stack that keeps every rule previews with no violation; a source outside the stack is allowed by the pack's config", async () => {
      const shape = { protectPrimary: true, ignoreIntegrations: true, replicas: [...fiveReplicas(), { resource: "replica-of-legacy", source: "shop-legacy" }] };
      const unconfigured = await stackWithPack("unconfigured", shape);
      expect(violations((await failedRun(unconfigured.preview())).run)).toEqual([`${POLICY.replicaSourceDeclared} replica-of-legacy mandatory`]);

      const good = await stackWithPack("good", shape, { [POLICY.replicaSourceDeclared]: { knownSourceServices: ["shop-legacy"] } });
      const { run } = await good.preview();
      expect(violations(run)).toEqual([]);
      expect(run.stdout).toContain("aiven-read-replicas");
    });

    test("no preview wrote to Aiven: the API saw reads only", async () => {
      expect((await engine.aiven.requests()).filter((r) => r.method !== "GET")).toEqual([]);
    });
  },
  { aivenPlugin: true },
);
