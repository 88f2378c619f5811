// The package's public API, named one by one so that a rename shows up here. Helpers that only
// the package's own code and tests use are imported from their modules, not from here.

// ReadReplicaSet and its preflight validation (components/).
export { ReadReplicaSet, READ_REPLICA_SET_TYPE } from "./components/readReplicaSet";
export type { ReadReplicaSetArgs, PrimarySpec, ReplicaSpec, ReplicaHandle, AivenCachingService } from "./components/readReplicaSetArgs";
export { ServiceType } from "./components/serviceType";
export type { PromotionResource, ReadinessResource, ReplicationCheckResource } from "./components/helperResources";
export { validateReadReplicaSet, PreflightError, DEFAULT_REPLICA_PLAN, SERVICE_TYPES } from "./components/preflight";
export type { PreflightIssue } from "./components/preflight";

// The Aiven API client (provider/).
export { AivenClient, AivenApiError, isAivenApiError } from "./provider/aivenClient";
export type { AivenClientOptions, DeleteOutcome } from "./provider/aivenClient";
export { DEFAULT_API_URL } from "./provider/credentials";
export type * from "./provider/aivenTypes";
export { MAX_LIVE_READ_REPLICAS } from "./provider/rules";

// The dynamic resources and their providers (provider/).
export { ReplicaPromotion, replicaPromotionProvider } from "./provider/replicaPromotion";
export type { ReplicaPromotionArgs, ReplicaPromotionInputs, ReplicaPromotionOutputs } from "./provider/replicaPromotion";
export { PrimaryReadiness, primaryReadinessProvider } from "./provider/primaryReadiness";
export type { PrimaryReadinessArgs, PrimaryReadinessInputs, PrimaryReadinessOutputs } from "./provider/primaryReadiness";
export { ReplicationCheck, replicationCheckProvider } from "./provider/replicationCheck";
export type { ReplicationCheckArgs, ReplicationCheckInputs, ReplicationCheckOutputs, ReplicaEndpoint } from "./provider/replicationCheck";

// The canary check the ReplicationCheck resource and `aiven-read-replicas verify` run.
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
