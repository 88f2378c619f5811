import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks } from "../helpers/recordingMocks";
import { checked } from "../../components/readReplicaSet";
import { PreflightError, ReadReplicaSet } from "../../index";
import { cloudProblem, projectProblem } from "../../provider/rules";

// Values given as Outputs are checked when they resolve. A bad one rejects the Output that the
// child's input is made of, so the child is never sent to Aiven and the language host reports
// the PreflightError as the program's error. (Under jest that rejection would be reported as an
// uncaught error of the test, so the rejection is asserted on the checked Output itself.)

interface OutputInternals<T> {
  promise(): Promise<T>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
}

/** The checked Output's value; its other internal promises carry the same rejection, so mark them seen. */
function checkedValue<T>(output: pulumi.Input<T>): Promise<T> {
  const internals = output as unknown as OutputInternals<T>;
  if (pulumi.Output.isInstance(output)) {
    internals.isKnown.catch(() => undefined);
    internals.isSecret.catch(() => undefined);
    return internals.promise();
  }
  return Promise.resolve(output as T);
}

beforeAll(async () => {
  process.env.AIVEN_TOKEN = "test-token-from-env";
});

test.each([
  ["replicas[0].cloud", "Europe West", cloudProblem,
    "replicas[0].cloud: 'Europe West' is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'"],
  ["primary.cloud", "gcp", cloudProblem,
    "primary.cloud: 'gcp' is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'"],
  ["project", "no spaces allowed", projectProblem,
    "project: 'no spaces allowed' is not a valid project name; use 1-63 of letters, digits, '_' and '-'"],
])("an Output-valued %s resolving to '%s' rejects with a PreflightError naming the path", async (path, value, rule, message) => {
  const result = checkedValue(checked(pulumi.output(value), path, rule));
  await expect(result).rejects.toBeInstanceOf(PreflightError);
  await expect(result).rejects.toThrow(message);
  const error = await result.catch((e: PreflightError) => e);
  expect((error as PreflightError).issues).toEqual([{ path, message: message.slice(path.length + 2) }]);
});

test("a good Output value passes unchanged, and a plain value is returned as is", async () => {
  expect(await checkedValue(checked(pulumi.output("aws-eu-west-1"), "replicas[0].cloud", cloudProblem))).toBe("aws-eu-west-1");
  expect(checked("anything", "project", projectProblem)).toBe("anything");
});

test("an Output-valued cloud that resolves to a good value flows on to the replica", async () => {
  const mocks = await installRecordingMocks({});
  new ReadReplicaSet("good", {
    project: pulumi.output("acme"),
    primary: { name: "primary", plan: "business-4", cloud: pulumi.output("google-europe-west1") },
    replicas: [{ name: "replica", cloud: pulumi.output("aws-eu-west-1") }],
  });
  await mocks.settle();
  const inputsOf = (name: string) => mocks.registrations.find((registration) => registration.name === name)?.inputs;
  expect(inputsOf("good-replica-replica")?.cloudName).toBe("aws-eu-west-1");
  expect(inputsOf("good-primary")).toEqual({ project: "acme", serviceName: "primary", plan: "business-4", cloudName: "google-europe-west1" });
});
