import { table as printTable } from "../cli/io";

export interface Row {
  figure: string;
  value: string;
  goal: string;
  /** undefined: no goal, or not measured. */
  met?: boolean;
}

export const SERIALIZED_GOAL_BYTES = 20 * 1024;

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.figure, r.value, r.goal, r.met === undefined ? "-" : r.met ? "yes" : "NO"]);
  return printTable(["figure", "value", "goal", "met?"], cells, { rule: true }).trimEnd();
}

/** The same table as Markdown, for the README's Performance section. */
export function markdown(rows: Row[]): string {
  const out = ["| figure | value | goal | met? |", "| --- | --- | --- | --- |"];
  for (const r of rows) out.push(`| \`${r.figure}\` | ${r.value} | ${r.goal} | ${r.met === undefined ? "-" : r.met ? "yes" : "**no**"} |`);
  return out.join("\n");
}
