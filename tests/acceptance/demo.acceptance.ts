// `npm run demo` where the toolchain and Aiven's plugin are installed: it picks the real engine,
// says so on its first line, and runs the same flow as on the harness (tests/demo runs that one).
import { compileDemo, expectCompletedFlow, runDemo } from "../demo/demoRun";
import { describeEngine, toolchain } from "./engine";

describeEngine(
  "npm run demo on the real Pulumi engine",
  () => {
    beforeAll(() => compileDemo(), 120_000);

    test("the first line names the engine; declare, replicate, promote, fail over and destroy all pass under it", async () => {
      const demo = runDemo();
      const code = await demo.exit;
      if (code !== 0) console.log(demo.output());
      expect(code).toBe(0);
      const [first] = demo.output().split("\n");
      expect(first).toBe(`demo: on the real Pulumi engine through the Automation API: ${toolchain.found ? `${toolchain.pulumiBin} (${toolchain.version})` : ""}`);
      expectCompletedFlow(demo.output());
      // The engine's own output, passed through: its plan and its summaries.
      expect(demo.output()).toMatch(/\| .*Updating \(dev\)/);
      expect(demo.output()).toMatch(/\| .*Destroying \(dev\)/);
      expect(demo.output()).toContain("on the real Pulumi engine in");
    }, 900_000);
  },
  { aivenPlugin: true },
);
