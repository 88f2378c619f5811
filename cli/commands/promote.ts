import { PromotionRefusedError, promoteReplica } from "../../provider/replicaPromotion";
import { waitSettings, WaitTimeoutError } from "../../provider/waitFor";
import { apiClient, apiFailure, CliError, CliIo, EXIT_OK, EXIT_PROBLEM } from "../io";

export interface PromoteOptions {
  project: string;
  primary: string;
  replica: string;
  apiUrl?: string;
  /** commander sets false for --no-wait. */
  wait: boolean;
  /** Seconds to wait for the replica to run standalone. */
  timeout: number;
  /** Seconds between two reads of the replica. */
  poll: number;
}

/**
 * Promotes one read replica outside a deployment, with the code the ReplicaPromotion resource
 * runs: exit 0 when it is (or already was) standalone, 1 when it was refused or did not become
 * standalone in time, 2 for usage and API errors.
 */
export async function promote(options: PromoteOptions, io: CliIo): Promise<number> {
  const { project, primary, replica } = options;
  if (primary === replica) throw new CliError(`--replica: '${replica}' is the primary itself; name a replica of it`);
  const client = apiClient(options, io);
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const wait = options.wait ? waitSettings({ timeoutSeconds: options.timeout, pollSeconds: options.poll }) : false;
  let result;
  try {
    result = await promoteReplica(client, { project, primary, replica }, { wait, log });
  } catch (e) {
    if (e instanceof PromotionRefusedError || e instanceof WaitTimeoutError) throw new CliError(e.message, EXIT_PROBLEM);
    throw apiFailure(e, project, replica);
  }
  const what =
    result.found === null
      ? `'${replica}' was already a standalone service: nothing deleted`
      : result.integrationId === null
        ? `'${replica}' promoted: read_replica integration ${result.found} from '${primary}' is gone (the delete met 404: removed by someone else, or by an attempt of this call that got no answer)`
        : `'${replica}' promoted: read_replica integration ${result.integrationId} from '${primary}' deleted`;
  io.stdout.write(`${what}${options.wait ? `; it runs standalone (RUNNING)` : "; not waiting for it to run standalone (--no-wait)"}\n`);
  return EXIT_OK;
}
