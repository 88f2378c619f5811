// The argument rules that preflight (components/) and the providers' `check` share, so both speak
// with one wording. Dependency-free: the providers serialize these functions into state.

/** A value as it appears in a message: strings quoted, anything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

export function projectProblem(project: unknown): string | undefined {
  return typeof project === "string" && /^[a-zA-Z0-9_-]{1,63}$/.test(project)
    ? undefined
    : `${describeValue(project)} is not a valid project name; use 1-63 of letters, digits, '_' and '-'`;
}

export function serviceNameProblem(name: unknown): string | undefined {
  return typeof name === "string" && /^[a-z][a-z0-9-]{0,62}$/.test(name)
    ? undefined
    : `${describeValue(name)} is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'`;
}

export function cloudProblem(cloud: unknown): string | undefined {
  return typeof cloud === "string" && /^[a-z]+-[a-z0-9-]+$/.test(cloud)
    ? undefined
    : `${describeValue(cloud)} is not a cloud name; use the provider-region form, e.g. 'google-europe-west1'`;
}
