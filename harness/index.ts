// The offline harness (see offlineFixture.ts for what it is and is not).
export * from "./types";
export { runProgram } from "./offlineFixture";
export { loadProgram } from "./programLoader";
