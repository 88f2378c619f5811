// The package's public API (SPEC sections 2-7), named one by one so that a rename shows up here.

// ReadReplicaSet and its preflight validation (components/).
export { ReadReplicaSet, READ_REPLICA_SET_TYPE, checked } from "./components/readReplicaSet";
export type { ReadReplicaSetArgs, PrimarySpec, ReplicaSpec, ReplicaHandle, AivenCachingService } from "./components/readReplicaSetArgs";
export { validateReadReplicaSet, PreflightError, projectProblem, cloudProblem, DEFAULT_REPLICA_PLAN, SERVICE_TYPES } from "./components/preflight";
export type { PreflightIssue } from "./components/preflight";

// The Aiven API client (provider/).
export { AivenClient, AivenApiError, isAivenApiError, resolveApiUrl, DEFAULT_API_URL, USER_AGENT } from "./provider/aivenClient";
export type { AivenClientOptions } from "./provider/aivenClient";
export type * from "./provider/aivenTypes";
export { resolveToken, MISSING_TOKEN_MESSAGE } from "./provider/credentials";
export { WaitTimeoutError, setProgressLogger } from "./provider/waitFor";
export type { ProgressLogger } from "./provider/waitFor";

// The dynamic resources and their providers (provider/).
export { ReplicaPromotion, replicaPromotionProvider, pickReadReplicaLink } from "./provider/replicaPromotion";
export type { ReplicaPromotionArgs, ReplicaPromotionInputs, ReplicaPromotionOutputs } from "./provider/replicaPromotion";
export { PrimaryReadiness, primaryReadinessProvider } from "./provider/primaryReadiness";
export { MAX_LIVE_READ_REPLICAS } from "./provider/rules";
export type { PrimaryReadinessArgs, PrimaryReadinessInputs, PrimaryReadinessOutputs } from "./provider/primaryReadiness";
export { ReplicationCheck, replicationCheckProvider } from "./provider/replicationCheck";
export type { ReplicationCheckArgs, ReplicationCheckInputs, ReplicationCheckOutputs, ReplicaEndpoint } from "./provider/replicationCheck";
export { checkReplication, isReplicationCheckFailure, CANARY_PREFIX } from "./provider/replication";
export type {
  CheckReplicationOptions,
  ReplicaFailure,
  ReplicationCheckFailure,
  ReplicationReport,
  ReplicationTarget,
} from "./provider/replication";

// The Aiven API emulator (emulator/).
export { startEmulator, DEFAULT_TIMINGS } from "./emulator";
export type { Emulator, EmulatorOptions } from "./emulator";
