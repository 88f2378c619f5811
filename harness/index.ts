export * from "./types";
export { runProgram } from "./offlineDeploy";
export { loadProgram } from "./programLoader";
export { createRequest, serviceState, SERVICE_RESOURCE_TYPES } from "./aivenProviderCalls";
export { deserializeProvider } from "./dynamicRunner";
export { unwrapSecrets } from "./secrets";
