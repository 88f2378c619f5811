// The offline harness: a test fixture, not an engine, and not part of the published package. It deploys a Pulumi program
// without the Pulumi CLI, for the demo's fallback and for fast tests: the program runs under Pulumi's mock runtime in this
// process, aiven.Valkey and aiven.Redis (and their data sources) go to the Aiven API, dynamic resources run in Pulumi's own
// dynamic provider host. Each run returns a RunResult that the next takes as `previous`, in place of a state file. It creates,
// replaces (deleting the old resource after a successful run), reads back with `refresh`, deletes what the program stops
// declaring, and stops at the first failure. A failed run deletes nothing it replaced: the engine keeps such resources as
// pending deletes and deletes them on its next run; this fixture does not. Nor does it change services in place, apply resource
// options, preview, or run StackReferences or other providers. tests/acceptance/harnessParity.acceptance.ts holds it to the engine.
export * from "./types";
export { runProgram } from "./offlineFixture";
export { loadProgram } from "./programLoader";
