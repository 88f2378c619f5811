/** The acceptance stage: the real Pulumi CLI through the Automation API (`npm run test:acceptance`). */
/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  // Node's, except that an inline program's failures during an engine operation are the engine's to report.
  testEnvironment: "<rootDir>/tests/acceptance/engineEnvironment.js",
  roots: ["<rootDir>/tests/acceptance"],
  // *.acceptance.ts, so that `npm test` (the default config) never picks these up.
  testMatch: ["**/*.acceptance.ts"],
  // Engine operations take seconds each; this only guards against hangs.
  testTimeout: 300000,
  // Two files at a time: most of a file's time is waiting (Aiven's plugin polls, the emulator's
  // delays), not CPU. Each file has its own emulator (port 0), temp backend and work dirs; the
  // toolchain's PULUMI_HOME is only read (plugins; workspace files are keyed by the temp work dir).
  maxWorkers: 2,
};
