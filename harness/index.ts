// The offline harness (see offlineFixture.ts for what it is and is not).
export * from "./types";
export { runProgram, unwrapSecrets } from "./offlineFixture";
export { loadProgram } from "./programLoader";
