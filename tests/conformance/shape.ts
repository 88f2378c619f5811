// A small checker for the JSON types a Go client unmarshals: a field of the wrong type (or a
// missing one read through a pointer) is what makes such a client fail or crash.

export type Shape =
  | "string"
  | "integer"
  | "boolean"
  | "object"
  | "null"
  /** RFC 3339, as Go's time.Time accepts it. */
  | "rfc3339"
  | { array: Shape }
  | { map: Shape }
  | { oneOf: Shape[] }
  | { [field: string]: Shape };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every mismatch as "path: expected …, got …"; empty when the value has the shape. */
export function mismatches(value: unknown, shape: Shape, at = "$"): string[] {
  const got = (): string => `${at}: expected ${describe(shape)}, got ${JSON.stringify(value)}`;
  if (typeof shape === "string") {
    switch (shape) {
      case "string":
        return typeof value === "string" ? [] : [got()];
      case "integer":
        return Number.isInteger(value) ? [] : [got()];
      case "boolean":
        return typeof value === "boolean" ? [] : [got()];
      case "null":
        return value === null ? [] : [got()];
      case "object":
        return isObject(value) ? [] : [got()];
      case "rfc3339":
        return typeof value === "string" && RFC3339.test(value) && !Number.isNaN(Date.parse(value)) ? [] : [got()];
    }
  }
  if ("array" in shape && Object.keys(shape).length === 1) {
    if (!Array.isArray(value)) return [got()];
    return value.flatMap((item, i) => mismatches(item, shape.array as Shape, `${at}[${i}]`));
  }
  if ("map" in shape && Object.keys(shape).length === 1) {
    if (!isObject(value)) return [got()];
    return Object.entries(value).flatMap(([k, v]) => mismatches(v, shape.map as Shape, `${at}.${k}`));
  }
  if ("oneOf" in shape && Object.keys(shape).length === 1) {
    const options = shape.oneOf as Shape[];
    return options.some((option) => mismatches(value, option, at).length === 0) ? [] : [got()];
  }
  if (!isObject(value)) return [got()];
  const fields = shape as Record<string, Shape>;
  return Object.entries(fields).flatMap(([field, fieldShape]) =>
    field in value ? mismatches(value[field], fieldShape, `${at}.${field}`) : [`${at}.${field}: missing`],
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(shape: Shape): string {
  return typeof shape === "string" ? shape : JSON.stringify(shape);
}
