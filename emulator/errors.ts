/** An error that the server turns into an Aiven-shaped response. */
export class AivenError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AivenError";
  }
}

export interface AivenErrorBody {
  message: string;
  errors: { message: string; status: number; error_code?: string }[];
}

/** The one place that shapes error bodies the way api.aiven.io does. */
export function errorBody(status: number, message: string, errorCode?: string): AivenErrorBody {
  const item: AivenErrorBody["errors"][number] = { message, status };
  if (errorCode !== undefined) item.error_code = errorCode;
  return { message, errors: [item] };
}

export const badRequest = (message: string, code?: string): AivenError => new AivenError(400, message, code);
export const forbidden = (message: string, code?: string): AivenError => new AivenError(403, message, code);
export const notFound = (message: string, code?: string): AivenError => new AivenError(404, message, code);
export const conflict = (message: string, code?: string): AivenError => new AivenError(409, message, code);

export const serviceNotFound = (): AivenError => notFound("Service not found", "service_not_found");
export const integrationNotFound = (): AivenError =>
  notFound("Service integration not found", "service_integration_not_found");
export const projectNotFound = (): AivenError => notFound("Project does not exist", "project_not_found");
export const authenticationFailed = (): AivenError => forbidden("Authentication failed");
