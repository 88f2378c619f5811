// The figures npm run bench:engine computes from the engine's timings and a stack export.
import { median } from "../../bench/emulated";
import { pairedRatio, profile, stateBytes, Timed } from "../../bench/engineFigures";

const run = (ms: number, steps: Array<[string, { type: string; op: string; startMs?: number; endMs?: number }]> = []): Timed => ({ ms, tailMs: 0, steps: new Map(steps) });

describe("pairedRatio", () => {
  test("the median of each round's ratio, so that one slow round moves neither side alone", () => {
    // Round 2 ran under load on both sides: its ratio stays near the others.
    expect(pairedRatio([run(110), run(330), run(105)], [run(100), run(300), run(100)])).toBeCloseTo(1.1);
  });

  test("an even number of rounds: the mean of the two middle ratios, not the lower one", () => {
    expect(pairedRatio([run(100), run(110), run(120), run(150)], [run(100), run(100), run(100), run(100)])).toBeCloseTo(1.15);
  });

  test("a fixed delay added to the other side (the emulator's promotion delay)", () => {
    expect(pairedRatio([run(1200)], [run(500)], 500)).toBeCloseTo(1.2);
  });

  test("unpaired timings are refused", () => {
    expect(() => pairedRatio([run(1)], [run(1), run(2)])).toThrow("paired timings needed");
    expect(() => pairedRatio([], [])).toThrow("paired timings needed");
  });
});

test("median: odd and even counts, unsorted input", () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});

test("profile: median step time per operation and type; unchanged and unfinished steps left out", () => {
  const valkey = "aiven:index/valkey:Valkey";
  const runs = [
    run(0, [
      ["a", { type: valkey, op: "create", startMs: 0, endMs: 100 }],
      ["b", { type: valkey, op: "create", startMs: 10, endMs: 40 }],
      ["c", { type: valkey, op: "same", startMs: 0, endMs: 5 }],
      ["d", { type: valkey, op: "create", startMs: 0 }],
    ]),
    run(0, [["a", { type: valkey, op: "create", startMs: 50, endMs: 110 }]]),
  ];
  expect(profile(runs)).toEqual({ [`create ${valkey}`]: { op: "create", medianMs: 60, count: 3 } });
});

test("stateBytes: dynamic resources apart from services, their serialized providers counted", () => {
  const provider = "x".repeat(1000);
  const exported = JSON.stringify({
    deployment: {
      resources: [
        { type: "pulumi:pulumi:Stack", outputs: {} },
        { type: "aiven:index/valkey:Valkey", inputs: { serviceName: "p" }, outputs: { serviceName: "p" } },
        { type: "pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness", inputs: { __provider: provider }, outputs: { __provider: provider, state: "RUNNING" } },
        { type: "pulumi-nodejs:dynamic/aiven-read-replicas:ReplicaPromotion", inputs: { __provider: provider }, outputs: { __provider: provider } },
      ],
    },
  });
  const figures = stateBytes(exported);
  expect(figures.dynamicCount).toBe(2);
  expect(figures.serializedProviderPerDynamic).toBe(2 * 1002);
  expect(figures.perDynamic).toBeGreaterThan(2 * 1002);
  expect(figures.perDynamic).toBeLessThan(2 * 1002 + 250);
  expect(figures.perService).toBe(Buffer.byteLength(JSON.stringify({ type: "aiven:index/valkey:Valkey", inputs: { serviceName: "p" }, outputs: { serviceName: "p" } })));
});
