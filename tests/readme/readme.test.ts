import * as fs from "fs";
import * as path from "path";
import { typeCheckSnippets, typeScriptSnippets, type Snippet } from "./readmeSnippets";

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).name;

// A snippet that must fail: checked in the same program, it proves the package resolves with its
// real types (an unresolved or `any`-typed import would let the README's snippets pass unchecked).
const CONTROL: Snippet = {
  line: 0,
  code: `import { ReadReplicaSet } from "${PACKAGE_NAME}";\nnew ReadReplicaSet("x", { project: 42, primary: { name: "p" }, replicas: [] });\n`,
};

describe("README.md code snippets", () => {
  const { snippets, fragments } = typeScriptSnippets(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
  let problems: Map<Snippet, { line: number; message: string }[]>;

  beforeAll(() => {
    problems = typeCheckSnippets(ROOT, [...snippets, CONTROL], PACKAGE_NAME);
  }, 180_000); // one TypeScript program over the package and @pulumi/*: seconds, more on a busy machine

  it("has TypeScript snippets to check", () => {
    expect(snippets.length).toBeGreaterThan(0);
    expect(fragments.length).toBeLessThan(snippets.length);
  });

  it("resolves the package with its real types (a deliberately wrong snippet fails)", () => {
    const control = problems.get(CONTROL)!;
    expect(control.map((p) => p.message)).toEqual([expect.stringMatching(/^TS2322: Type 'number' is not assignable to type .*string/s)]);
  });

  it("type-checks every TypeScript snippet as shown (strict)", () => {
    const failures = snippets.flatMap((s) => problems.get(s)!.map((p) => `README.md:${p.line}: ${p.message}`));
    expect(failures).toEqual([]);
  });
});

describe("typeScriptSnippets", () => {
  it("takes ts and typescript blocks, skips other languages and blocks marked as fragments", () => {
    const markdown = [
      "```ts",
      "const a = 1;",
      "```",
      "```sh",
      "echo no",
      "```",
      "<!-- snippet: fragment -->",
      "```ts",
      "replicas: []",
      "```",
      "- item:",
      "  ```typescript",
      "  const b = 2;",
      "  ```",
    ].join("\n");
    const { snippets, fragments } = typeScriptSnippets(markdown);
    expect(snippets).toEqual([
      { line: 1, code: "const a = 1;\n" },
      { line: 12, code: "const b = 2;\n" },
    ]);
    expect(fragments).toEqual([8]);
  });
});
