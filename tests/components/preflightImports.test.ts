// The validator is pure: the CLI's `preflight` and the component load it without the Aiven
// client (axios, fs) or the dynamic providers. Only provider/rules.ts, which has no imports.

const heavy = [
  "axios",
  "axios-retry",
  "ioredis",
  "../../provider/aivenClient",
  "../../provider/credentials",
  "../../provider/dynamicCommon",
  "../../provider/primaryReadiness",
  "../../provider/replicaPromotion",
  "../../provider/replication",
  "../../provider/replicationCheck",
  "../../provider/waitFor",
];

test("requiring components/preflight loads no provider module but rules, and not axios", () => {
  const loaded: string[] = [];
  jest.isolateModules(() => {
    for (const name of heavy) {
      jest.doMock(name, () => {
        loaded.push(name);
        return {};
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const preflight = require("../../components/preflight") as typeof import("../../components/preflight");
    expect(typeof preflight.validateReadReplicaSet).toBe("function");
  });
  expect(loaded).toEqual([]);
});

test("the check itself: a module the validator did load is seen", () => {
  const loaded: string[] = [];
  jest.isolateModules(() => {
    jest.doMock("../../provider/rules", () => {
      loaded.push("rules");
      return jest.requireActual("../../provider/rules");
    });
    require("../../components/preflight");
  });
  expect(loaded).toEqual(["rules"]);
});
