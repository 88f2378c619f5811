export * from "./components/readReplicaSet";
export * from "./components/readReplicaSetArgs";
export * from "./components/preflight";
export * from "./provider";
export { startEmulator, DEFAULT_TIMINGS } from "./emulator";
export type { Emulator, EmulatorOptions } from "./emulator";
