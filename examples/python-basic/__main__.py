"""A Valkey primary with two read replicas, declared through the aiven-read-replicas package."""
import pulumi
import pulumi_aiven_read_replicas as aiven_read_replicas

config = pulumi.Config()
prefix = config.get("namePrefix") or "cache"
replica_names = [f"{prefix}-replica-a", f"{prefix}-replica-b"]
# Comma-separated replica names to promote to standalone primaries (irreversible).
promote = {name for name in (config.get("promote") or "").split(",") if name}

cache = aiven_read_replicas.ReadReplicaSet(
    "cache",
    project=config.require("aivenProject"),
    primary=aiven_read_replicas.PrimarySpecArgs(
        name=f"{prefix}-primary",
        plan=config.get("primaryPlan") or "business-4",
        cloud=config.get("cloud") or "google-europe-west1",
    ),
    replicas=[aiven_read_replicas.ReplicaSpecArgs(name=name, promote=name in promote) for name in replica_names],
    poll_seconds=config.get_float("pollSeconds"),
    timeout_seconds=config.get_float("timeoutSeconds"),
)

pulumi.export("primaryServiceName", cache.primary_service_name)
pulumi.export("replicaServiceNames", cache.replica_service_names)
pulumi.export("replicaPromoted", cache.replica_promoted)
pulumi.export("writeEndpoint", cache.write_endpoint)
