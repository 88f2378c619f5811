// Resources as the pack's policies receive them from the engine. @pulumi/policy is a dependency of
// the pack only (policy/package.json), so it is taken from there: the copy the policies use, so
// that its UnknownValueError is the class they catch.
import { unknownCheckingProxy } from "../../policy/node_modules/@pulumi/policy";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "../../policy/node_modules/@pulumi/policy";

// The sentinels the engine's unknown values (preview) are deserialized to; internal to the SDK, so untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("../../policy/node_modules/@pulumi/policy/proxy") as Record<"unknownStringValue" | "unknownArrayValue" | "unknownBooleanValue", string>;
export const UNKNOWN = { string: sentinels.unknownStringValue, array: sentinels.unknownArrayValue, boolean: sentinels.unknownBooleanValue };

export const TYPES = {
  valkey: "aiven:index/valkey:Valkey",
  redis: "aiven:index/redis:Redis",
  dragonfly: "aiven:index/dragonfly:Dragonfly",
  pg: "aiven:index/pg:Pg",
  bucket: "aws:s3/bucket:Bucket",
} as const;

export interface Fixture {
  type: string;
  name: string;
  props: Record<string, unknown>;
  ignoreChanges?: string[];
}

export const urnOf = (f: Pick<Fixture, "type" | "name">) => `urn:pulumi:dev::shop::${f.type}::${f.name}`;

/** A service named like its resource, in project 'acme', on business-4 unless given. */
export function service(kind: keyof typeof TYPES, name: string, props: Record<string, unknown> = {}, ignoreChanges?: string[]): Fixture {
  return { type: TYPES[kind], name, props: { project: "acme", serviceName: name, plan: "business-4", ...props }, ...(ignoreChanges ? { ignoreChanges } : {}) };
}

/** A read replica of `source`, declared as the component declares one. */
export function replica(kind: keyof typeof TYPES, name: string, source: string, props: Record<string, unknown> = {}): Fixture {
  return service(
    kind,
    name,
    { plan: "startup-4", serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: source }], ...props },
    ["serviceIntegrations"],
  );
}

function options(f: Fixture) {
  return { protect: false, ignoreChanges: f.ignoreChanges ?? [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };
}

function notApplicable(reason?: string): never {
  throw new Error(`not applicable: ${reason}`);
}

export interface Violation {
  message: string;
  urn?: string;
}

export function runResourcePolicy(policy: ResourceValidationPolicy, fixture: Fixture, config: object = {}): Violation[] {
  const violations: Violation[] = [];
  const report: ReportViolation = (message, urn) => violations.push(urn === undefined ? { message } : { message, urn });
  const props = unknownCheckingProxy(fixture.props) as Record<string, unknown>;
  const args: ResourceValidationArgs = {
    type: fixture.type,
    props,
    urn: urnOf(fixture),
    name: fixture.name,
    opts: options(fixture),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const validations = [policy.validateResource ?? []].flat();
  for (const validate of validations) void validate(args, report);
  return violations;
}

export function runStackPolicy(policy: StackValidationPolicy, fixtures: Fixture[], config: object = {}): Violation[] {
  const violations: Violation[] = [];
  const report: ReportViolation = (message, urn) => violations.push(urn === undefined ? { message } : { message, urn });
  const resources: PolicyResource[] = fixtures.map((f) => ({
    type: f.type,
    props: unknownCheckingProxy(f.props) as Record<string, unknown>,
    urn: urnOf(f),
    name: f.name,
    opts: options(f),
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
  void policy.validateStack(args, report);
  return violations;
}
