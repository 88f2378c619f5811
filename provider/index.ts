export * from "./aivenTypes";
export { AivenApiError, AivenClient, AivenClientOptions, DEFAULT_API_URL, USER_AGENT, isAivenApiError, resolveApiUrl } from "./aivenClient";
export { MISSING_TOKEN_MESSAGE, resolveToken } from "./credentials";
export { ProgressLogger, WaitTimeoutError, setProgressLogger } from "./waitFor";
export * from "./replicaPromotion";
export * from "./primaryReadiness";
export * from "./replicationCheck";
export { CANARY_PREFIX, CheckReplicationOptions, ReplicaFailure, ReplicationCheckFailure, ReplicationReport, ReplicationTarget, checkReplication, isReplicationCheckFailure } from "./replication";
