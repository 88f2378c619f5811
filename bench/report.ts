export interface Row {
  figure: string;
  value: string;
  goal: string;
  /** undefined: no goal, or not measured. */
  met?: boolean;
}

export const SERIALIZED_GOAL_BYTES = 20 * 1024;

export function table(rows: Row[]): string {
  const cells = [["figure", "value", "goal", "met?"], ...rows.map((r) => [r.figure, r.value, r.goal, r.met === undefined ? "-" : r.met ? "yes" : "NO"])];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** The same table as Markdown, for the README's Performance section. */
export function markdown(rows: Row[]): string {
  const out = ["| figure | value | goal | met? |", "| --- | --- | --- | --- |"];
  for (const r of rows) out.push(`| \`${r.figure}\` | ${r.value} | ${r.goal} | ${r.met === undefined ? "-" : r.met ? "yes" : "**no**"} |`);
  return out.join("\n");
}
