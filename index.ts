export * from "./components/readReplicaSet";
export * from "./components/readReplicaSetArgs";
export * from "./components/preflight";
export * from "./provider";
