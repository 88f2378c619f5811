export * from "./provider/replicaPromotion";
export * from "./provider/primaryReadiness";
export * from "./components/readReplicaSet";
export * from "./components/readReplicaSetArgs";
export * from "./components/preflight";
