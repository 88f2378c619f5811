// The root Pulumi.yaml program, configured the way `pulumi config set --path` would: the engine
// hands the program its config as JSON in PULUMI_CONFIG, objects as JSON strings.
export const stackConfig = {
  "aiven-read-replicas:name": "sessions",
  "aiven-read-replicas:project": "acme-prod",
  "aiven-read-replicas:primary": JSON.stringify({ name: "sessions-primary", plan: "business-4", cloud: "google-europe-west1" }),
  "aiven-read-replicas:replicas": JSON.stringify([
    { name: "sessions-eu" },
    { name: "sessions-us", cloud: "aws-us-east-1", promote: true },
  ]),
  "aiven-read-replicas:failoverTo": "sessions-us",
  "aiven-read-replicas:waitForBackup": "false",
  "aiven-read-replicas:pollSeconds": "0.5",
  "aiven:apiToken": "token-from-config",
};

process.env.PULUMI_CONFIG = JSON.stringify(stackConfig);
process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(["aiven:apiToken"]);
