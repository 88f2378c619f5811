export * from "./provider/replicaPromotion";
export * from "./provider/primaryReadiness";
