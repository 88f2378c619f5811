// An application stack that writes to whatever the infrastructure stack names as write endpoint.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const infra = new pulumi.StackReference(config.require("infraStack"));

const writeEndpoint = infra.requireOutput("writeEndpoint") as pulumi.Output<string>;

/** What the application would get as its REDIS_URL (secret). */
export const cacheUrl = pulumi.secret(writeEndpoint);
export const cacheService = infra.requireOutput("writeService");
export const cacheHost = writeEndpoint.apply((uri) => new URL(uri).hostname);
