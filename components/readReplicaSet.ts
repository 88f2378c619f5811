import * as aiven from "@pulumi/aiven";
import * as pulumi from "@pulumi/pulumi";
import { resolveApiUrl } from "../provider/credentials";
import type { ReplicaPromotionArgs } from "../provider/replicaPromotion";
import { dynamicHelperResources } from "./helperResources";
import type { HelperResources, ReplicationCheckResource } from "./helperResources";
import { cloudProblem, PreflightError, PreflightIssue, projectProblem, validateReadReplicaSet, DEFAULT_REPLICA_PLAN } from "./preflight";
import type { AivenCachingService, ReadReplicaSetArgs, ReplicaHandle, ReplicaSpec } from "./readReplicaSetArgs";

/** What every dynamic resource of the set needs to reach Aiven and to wait. */
type ProviderAccess = Pick<ReplicaPromotionArgs, "apiUrl" | "apiToken" | "timeoutSeconds" | "pollSeconds">;

export const READ_REPLICA_SET_TYPE = "aiven-read-replicas:index:ReadReplicaSet";

const CACHING_END_OF_LIFE_WARNING =
  "Aiven for Caching (service type redis) reached end of life on 2025-03-31 and its services were upgraded " +
  "to Aiven for Valkey; declare new sets with serviceType 'valkey'.";

// After a failover the old primary may be gone, and the replicas not promoted still follow it,
// not the new write endpoint: there is nothing a canary through the write endpoint could prove.
const VERIFY_DURING_FAILOVER_WARNING =
  "verifyReplication is skipped while failoverTo is set: the replicas that are not promoted replicate " +
  "from the old primary, not from the new write endpoint.";

/**
 * A primary Aiven for Valkey (or Caching) service and up to five read replicas, with optional
 * promotion of replicas to standalone primaries and a write endpoint that follows the failover.
 */
export class ReadReplicaSet extends pulumi.ComponentResource {
  public readonly primary?: AivenCachingService;
  public readonly primaryServiceName: pulumi.Output<string>;
  /** Secret. */
  public readonly primaryUri: pulumi.Output<string>;
  public readonly primaryHost: pulumi.Output<string>;
  public readonly primaryPort: pulumi.Output<number>;
  public readonly replicas: ReplicaHandle[];
  public readonly replicaServiceNames: pulumi.Output<string[]>;
  /** Secret: each replica's URI, in the order declared. */
  public readonly replicaUris: pulumi.Output<string[]>;
  public readonly replicaHosts: pulumi.Output<string[]>;
  public readonly replicaPorts: pulumi.Output<number[]>;
  /** Which replicas are declared promoted, in the order declared. */
  public readonly replicaPromoted: pulumi.Output<boolean[]>;
  /** Secret: the URI applications write to. */
  public readonly writeEndpoint: pulumi.Output<string>;
  /** Present with `verifyReplication: true`. */
  public readonly replicationCheck?: ReplicationCheckResource;

  constructor(name: string, args: ReadReplicaSetArgs, opts?: pulumi.ComponentResourceOptions) {
    const ownProvider = hasAivenProvider(opts);
    const issues = [...validateReadReplicaSet(args), ...tokenIssues(args), ...apiUrlIssues(args, ownProvider)];
    if (issues.length > 0) throw new PreflightError(issues);

    super(READ_REPLICA_SET_TYPE, name, {}, opts);
    const helpers = this.helperResources();

    // The token given only as an argument must reach the services too, not only the set's checks.
    const tokenProvider =
      args.apiToken !== undefined && !ownProvider
        ? new aiven.Provider(`${name}-aiven`, { apiToken: pulumi.secret(args.apiToken) }, { parent: this })
        : undefined;
    const childOptions = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      ...extra,
      parent: this,
      ...(tokenProvider ? { provider: tokenProvider } : {}),
    });

    const serviceType = args.serviceType ?? "valkey";
    const aivenServiceType = serviceType === "valkey" ? "valkey" : "redis";
    if (aivenServiceType === "redis") pulumi.log.warn(CACHING_END_OF_LIFE_WARNING, this);

    const project = checked(args.project, "project", projectProblem);
    const access: ProviderAccess = {
      apiUrl: args.apiUrl,
      apiToken: args.apiToken === undefined ? undefined : pulumi.secret(args.apiToken),
      timeoutSeconds: args.timeoutSeconds,
      pollSeconds: args.pollSeconds,
    };
    const newService = (logicalName: string, serviceArgs: aiven.ValkeyArgs, childOpts: pulumi.CustomResourceOptions) =>
      aivenServiceType === "valkey"
        ? new aiven.Valkey(logicalName, serviceArgs, childOpts)
        : new aiven.Redis(logicalName, serviceArgs, childOpts);

    const primarySpec = args.primary;
    // Unset when Aiven picks the primary's cloud; the replicas then take that cloud too.
    let primaryCloud: pulumi.Input<string>;
    if (primarySpec.existing) {
      const lookupArgs = { project, serviceName: primarySpec.name };
      const found =
        aivenServiceType === "valkey"
          ? aiven.getValkeyOutput(lookupArgs, childOptions())
          : aiven.getRedisOutput(lookupArgs, childOptions());
      this.primaryServiceName = found.serviceName;
      this.primaryUri = pulumi.secret(found.serviceUri);
      this.primaryHost = found.serviceHost;
      this.primaryPort = found.servicePort;
      primaryCloud = found.cloudName as pulumi.Output<string>;
    } else {
      const declaredCloud = checkedOptional(primarySpec.cloud, "primary.cloud");
      this.primary = newService(
        `${name}-primary`,
        {
          project,
          serviceName: primarySpec.name,
          plan: primarySpec.plan!, // preflight requires it when not existing
          cloudName: declaredCloud,
          terminationProtection: primarySpec.terminationProtection,
        },
        childOptions(),
      );
      this.primaryServiceName = this.primary.serviceName;
      this.primaryUri = pulumi.secret(this.primary.serviceUri);
      this.primaryHost = this.primary.serviceHost;
      this.primaryPort = this.primary.servicePort;
      primaryCloud = declaredCloud ?? (this.primary.cloudName as pulumi.Output<string>);
    }

    const readiness = helpers.primaryReadiness(
      `${name}-readiness`,
      {
        project,
        serviceName: this.primaryServiceName,
        serviceType: aivenServiceType,
        replicasToAdd: args.replicas.filter((replica) => !replica.promote).length,
        managedReplicas: args.replicas.filter((replica) => !replica.promote).map((replica) => replica.name),
        requireBackup: args.waitForBackup ?? true,
        ...access,
      },
      { parent: this, dependsOn: this.primary ? [this.primary] : [] },
    );

    this.replicas = args.replicas.map((spec, i) => {
      const service = newService(
        `${name}-replica-${spec.name}`,
        {
          project,
          serviceName: spec.name,
          plan: spec.plan ?? DEFAULT_REPLICA_PLAN,
          cloudName: checkedOptional(spec.cloud, `replicas[${i}].cloud`) ?? primaryCloud,
          terminationProtection: spec.terminationProtection,
          ...(spec.promote ? {} : { serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: this.primaryServiceName }] }),
        },
        // Aiven's provider refuses any change to service_integrations after creation, and promotion
        // removes the link: a replica ignores the field. A promoted one leaves it out instead (the
        // provider keeps an omitted value as it is), so its state stops holding the removed link,
        // which a refresh would hold against it: the engine's refresh diff does not apply
        // ignoreChanges before the provider's check. A replica declared promoted from its first
        // deployment is therefore created standalone.
        childOptions({
          dependsOn: [readiness, ...(this.primary ? [this.primary] : [])],
          ...(spec.promote ? {} : { ignoreChanges: ["serviceIntegrations"] }),
        }),
      );
      return this.replicaHandle(helpers, name, spec, service, project, access);
    });

    if (args.verifyReplication && args.failoverTo !== undefined) {
      pulumi.log.warn(VERIFY_DURING_FAILOVER_WARNING, this);
    } else if (args.verifyReplication) {
      this.replicationCheck = this.verify(helpers, name, args);
    }

    this.replicaServiceNames = pulumi.all(this.replicas.map((replica) => replica.service.serviceName));
    this.replicaUris = pulumi.secret(pulumi.all(this.replicas.map((replica) => replica.uri)));
    this.replicaHosts = pulumi.all(this.replicas.map((replica) => replica.host));
    this.replicaPorts = pulumi.all(this.replicas.map((replica) => replica.port));
    this.replicaPromoted = pulumi.output(this.replicas.map((replica) => replica.promoted));
    this.writeEndpoint = pulumi.secret(this.failoverUri(args.failoverTo) ?? this.primaryUri);

    this.registerOutputs(this.plainOutputs());
  }

  /**
   * The outputs every Pulumi language can read (resource objects stay TypeScript-only): what
   * the component registers, and what the package's provider returns for it.
   */
  plainOutputs(): Record<string, pulumi.Output<unknown>> {
    return {
      primaryServiceName: this.primaryServiceName,
      primaryUri: this.primaryUri,
      primaryHost: this.primaryHost,
      primaryPort: this.primaryPort,
      replicaServiceNames: this.replicaServiceNames,
      replicaUris: this.replicaUris,
      replicaHosts: this.replicaHosts,
      replicaPorts: this.replicaPorts,
      replicaPromoted: this.replicaPromoted,
      writeEndpoint: this.writeEndpoint,
    };
  }

  /** Dynamic resources here; the package's provider overrides this to serve them itself. */
  protected helperResources(): HelperResources {
    return dynamicHelperResources;
  }

  private replicaHandle(
    helpers: HelperResources,
    setName: string,
    spec: ReplicaSpec,
    service: AivenCachingService,
    project: pulumi.Input<string>,
    access: ProviderAccess,
  ): ReplicaHandle {
    const promotion = spec.promote
      ? helpers.replicaPromotion(
          `${setName}-promotion-${spec.name}`,
          { project, primaryServiceName: this.primaryServiceName, replicaServiceName: service.serviceName, ...access },
          { parent: this, dependsOn: [service] },
        )
      : undefined;
    return {
      name: spec.name,
      service,
      promoted: promotion !== undefined,
      promotion,
      uri: pulumi.secret(service.serviceUri),
      host: service.serviceHost,
      port: service.servicePort,
    };
  }

  /** Runs after every replica and promotion exists, so it checks only the replicas still replicating. */
  private verify(helpers: HelperResources, setName: string, args: ReadReplicaSetArgs): ReplicationCheckResource {
    const replicating = this.replicas.filter((replica) => !replica.promoted);
    return helpers.replicationCheck(
      `${setName}-replication-check`,
      {
        primaryUri: this.primaryUri,
        replicas: replicating.map((replica) => ({ name: replica.name, uri: replica.uri })),
        timeoutSeconds: args.timeoutSeconds,
        pollSeconds: args.pollSeconds,
      },
      {
        parent: this,
        dependsOn: this.replicas.flatMap((replica) => (replica.promotion ? [replica.service, replica.promotion] : [replica.service])),
      },
    );
  }

  /** The failover replica's URI, known only once its promotion has completed. */
  private failoverUri(failoverTo: string | undefined): pulumi.Output<string> | undefined {
    const target = this.replicas.find((replica) => replica.name === failoverTo);
    if (target?.promotion === undefined) return undefined;
    return pulumi.all([target.promotion.promotedAt, target.uri]).apply(([, uri]) => uri);
  }
}

/** The token rule runs only in the constructor: the pure validator cannot see config or env. */
function tokenIssues(args: ReadReplicaSetArgs): PreflightIssue[] {
  if (pulumi.runtime.isDryRun()) return [];
  if (args.apiToken !== undefined) return [];
  if (pulumi.runtime.getConfig("aiven:apiToken") !== undefined) return [];
  if (process.env.AIVEN_TOKEN) return [];
  return [
    {
      path: "apiToken",
      message:
        "no Aiven API token found; pass the apiToken argument, set the secret config aiven:apiToken " +
        "(pulumi config set --secret aiven:apiToken ...), or set the AIVEN_TOKEN environment variable",
    },
  ];
}

/**
 * Aiven's provider takes its API URL only from AIVEN_WEB_URL (in the environment `pulumi` runs in),
 * so an apiUrl elsewhere would send the services and the set's own resources to different APIs.
 * With an Aiven provider of the user's own, the user has chosen where the services go.
 */
function apiUrlIssues(args: ReadReplicaSetArgs, ownProvider: boolean): PreflightIssue[] {
  if (typeof args.apiUrl !== "string" || ownProvider) return [];
  const envUrl = process.env.AIVEN_WEB_URL?.trim() || undefined;
  if (envUrl !== undefined && resolveApiUrl(args.apiUrl) === resolveApiUrl(envUrl)) return [];
  return [
    {
      path: "apiUrl",
      message:
        `'${args.apiUrl}' is not where the services would be created: Aiven's Pulumi provider takes its API URL ` +
        `only from the AIVEN_WEB_URL environment variable (${envUrl === undefined ? "unset, so https://api.aiven.io" : `'${envUrl}'`}); ` +
        "set AIVEN_WEB_URL to this URL where pulumi runs, or leave apiUrl unset",
    },
  ];
}

/** An Aiven provider given to the set, or inherited from its parent: the services use it. */
function hasAivenProvider(opts: pulumi.ComponentResourceOptions | undefined): boolean {
  if (opts === undefined) return false;
  const packageOf = (p: pulumi.ProviderResource) => (p as unknown as { getPackage(): string }).getPackage();
  const listed = opts.providers === undefined ? [] : Array.isArray(opts.providers) ? opts.providers.map(packageOf) : Object.keys(opts.providers);
  const given = opts.provider === undefined ? [] : [packageOf(opts.provider)];
  return [...listed, ...given].includes("aiven") || opts.parent?.getProvider("aiven:index/valkey:Valkey") !== undefined;
}

/**
 * eks's validatedInput: a plain value was checked by preflight, an Output is checked when it
 * resolves, and only the checked value flows on to the child that uses it. Exported for testing.
 */
export function checked<T>(value: pulumi.Input<T>, path: string, problem: (value: T) => string | undefined): pulumi.Input<T> {
  if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return value;
  return pulumi.output(value).apply((resolved) => {
    const message = problem(resolved as T);
    if (message !== undefined) throw new PreflightError([{ path, message }]);
    return resolved;
  }) as pulumi.Input<T>;
}

function checkedOptional(cloud: pulumi.Input<string> | undefined, path: string): pulumi.Input<string> | undefined {
  return cloud === undefined ? undefined : checked(cloud, path, cloudProblem);
}
