import * as fs from "fs";
import * as path from "path";
import type { PrimarySpec, ReadReplicaSetArgs, ReplicaSpec } from "../../components/readReplicaSetArgs";
import { ServiceType } from "../../components/serviceType";
import { ReadReplicaSetProvider } from "../../packageProvider/provider";

interface Property {
  type?: string;
  $ref?: string;
  secret?: boolean;
  items?: Property;
}
interface Resource {
  isComponent?: boolean;
  inputProperties: Record<string, Property>;
  requiredInputs: string[];
  properties: Record<string, Property>;
}
interface Schema {
  name: string;
  version: string;
  types: Record<string, { type: string; enum?: Array<{ name: string; value: string }>; properties?: Record<string, Property>; required?: string[] }>;
  resources: Record<string, Resource>;
}

let schema: Schema;
beforeAll(async () => {
  schema = JSON.parse(await new ReadReplicaSetProvider().getSchema()) as Schema;
});

// Typed as every key of the TypeScript interfaces: a key added there fails to compile here.
const argKeys: Record<keyof ReadReplicaSetArgs, true> = {
  project: true, serviceType: true, primary: true, replicas: true, apiToken: true, apiUrl: true, replicaPlans: true,
  waitForBackup: true, verifyReplication: true, failoverTo: true, timeoutSeconds: true, pollSeconds: true,
};
const primaryKeys: Record<keyof PrimarySpec, true> = { name: true, plan: true, cloud: true, existing: true, terminationProtection: true };
const replicaKeys: Record<keyof ReplicaSpec, true> = { name: true, plan: true, cloud: true, promote: true, terminationProtection: true };
const sorted = (record: object) => Object.keys(record).sort();

const token = (name: string) => `aiven-read-replicas:index:${name}`;
const secretKeys = (props: Record<string, Property>) => Object.keys(props).filter((key) => props[key].secret).sort();

test("names the package aiven-read-replicas with the npm package's version", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string };
  expect(schema.name).toBe("aiven-read-replicas");
  expect(schema.version).toBe(pkg.version);
});

test("ReadReplicaSet is a component taking every ReadReplicaSetArgs argument, with nested spec types", () => {
  const set = schema.resources[token("ReadReplicaSet")];
  expect(set.isComponent).toBe(true);
  expect(sorted(set.inputProperties)).toEqual(sorted(argKeys));
  expect(set.requiredInputs.sort()).toEqual(["primary", "project", "replicas"]);
  expect(set.inputProperties.primary.$ref).toBe(`#/types/${token("PrimarySpec")}`);
  expect(set.inputProperties.replicas.items?.$ref).toBe(`#/types/${token("ReplicaSpec")}`);
  expect(set.inputProperties.serviceType.$ref).toBe(`#/types/${token("ServiceType")}`);
  expect(sorted(schema.types[token("PrimarySpec")].properties ?? {})).toEqual(sorted(primaryKeys));
  expect(sorted(schema.types[token("ReplicaSpec")].properties ?? {})).toEqual(sorted(replicaKeys));
  expect(schema.types[token("ReplicaSpec")].required).toEqual(["name"]);
});

test("ServiceType is an enum of the ServiceType constant's values", () => {
  const serviceType = schema.types[token("ServiceType")];
  expect(serviceType.type).toBe("string");
  expect(serviceType.enum).toEqual([
    { name: "Valkey", value: ServiceType.Valkey },
    { name: "Caching", value: ServiceType.Caching },
    { name: "Redis", value: ServiceType.Redis },
  ]);
});

test("the component's outputs are plain values; the token and every URI are secret", () => {
  const set = schema.resources[token("ReadReplicaSet")];
  expect(Object.keys(set.properties).sort()).toEqual(
    ["primaryHost", "primaryPort", "primaryServiceName", "primaryUri", "replicaHosts", "replicaPorts", "replicaPromoted", "replicaServiceNames", "replicaUris", "writeEndpoint"].sort(),
  );
  expect(Object.values(set.properties).every((p) => p.$ref === undefined)).toBe(true);
  expect(secretKeys(set.properties)).toEqual(["primaryUri", "replicaUris", "writeEndpoint"]);
  expect(secretKeys(set.inputProperties)).toEqual(["apiToken"]);
});

test("declares the three resources the set creates; the token is an input only, never an output", () => {
  for (const name of ["ReplicaPromotion", "PrimaryReadiness"]) {
    const resource = schema.resources[token(name)];
    expect(resource.isComponent).toBeUndefined();
    expect(resource.inputProperties.apiToken.secret).toBe(true);
    expect(resource.properties.apiToken).toBeUndefined();
  }
  expect(Object.keys(schema.resources[token("ReplicaPromotion")].properties)).toEqual(expect.arrayContaining(["integrationId", "promotedAt", "promoted"]));
  expect(Object.keys(schema.resources[token("PrimaryReadiness")].properties)).toEqual(expect.arrayContaining(["state", "backupCount", "liveReplicas"]));
  const check = schema.resources[token("ReplicationCheck")];
  expect(secretKeys(check.inputProperties)).toEqual(["primaryUri", "replicas"]);
  expect(secretKeys(check.properties)).toEqual(["primaryUri", "replicas"]);
});

test("every $ref names a type the schema declares", () => {
  const refs = JSON.stringify(schema).match(/"\$ref":"#\/types\/[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.slice('"$ref":"#/types/'.length, -1));
});
