import * as path from "path";
import * as ts from "typescript";

/** A ```ts / ```typescript block of a Markdown file: its code and the line its fence opens on. */
export interface Snippet {
  line: number;
  code: string;
}

/** The marker that exempts the block after it: `<!-- snippet: fragment -->` on the line(s) just before. */
const FRAGMENT_MARKER = /<!--\s*snippet:\s*fragment\s*-->/;

/** Every TypeScript block of `markdown` that is not marked as a fragment. */
export function typeScriptSnippets(markdown: string): { snippets: Snippet[]; fragments: number[] } {
  const lines = markdown.split("\n");
  const snippets: Snippet[] = [];
  const fragments: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) end++;
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    if (language === "ts" || language === "typescript") {
      const before = lines.slice(0, i).reverse().find((l) => l.trim() !== "") ?? "";
      if (FRAGMENT_MARKER.test(before)) fragments.push(i + 1);
      else snippets.push({ line: i + 1, code: body.join("\n") + "\n" });
    }
    i = end;
  }
  return { snippets, fragments };
}

export interface SnippetProblem {
  line: number; // the README line the problem is on
  message: string;
}

/**
 * Type-checks every snippet in one TypeScript program, each as a module of its own in `root` (so a
 * snippet that says "in this repository" may import `./harness`), with the package name resolving
 * to `root/index.ts` as a user's import of the installed package would. Returns the problems per
 * snippet, keyed by its README line, in the order of `snippets`.
 */
export function typeCheckSnippets(root: string, snippets: Snippet[], packageName: string): Map<Snippet, SnippetProblem[]> {
  const fileOf = new Map<string, Snippet>();
  for (const snippet of snippets) fileOf.set(path.join(root, `README.snippet-at-line-${snippet.line}.ts`), snippet);

  const options: ts.CompilerOptions = {
    strict: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    // A label is what a fragment such as `replicas: [...]` parses as: an error, not a pass.
    allowUnusedLabels: false,
    allowUnreachableCode: false,
    esModuleInterop: true,
    skipLibCheck: true,
    // ES modules, so that a snippet may await at top level as a script of the user's would.
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    noEmit: true,
    baseUrl: root,
    paths: { [packageName]: [path.join(root, "index.ts")] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => fileOf.get(name)?.code ?? readFile(name);
  host.fileExists = (name) => fileOf.has(name) || fileExists(name);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const snippet = fileOf.get(name);
    return snippet ? ts.createSourceFile(name, snippet.code, languageVersion, true) : getSourceFile(name, languageVersion, ...rest);
  };

  const program = ts.createProgram([...fileOf.keys()], options, host);
  const problems = new Map<Snippet, SnippetProblem[]>(snippets.map((s) => [s, []]));
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of fileOf.keys()) {
    const sourceFile = program.getSourceFile(file);
    if (sourceFile) diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
  }
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const snippet = diagnostic.file ? fileOf.get(diagnostic.file.fileName) : undefined;
    if (snippet && diagnostic.file && diagnostic.start !== undefined) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.get(snippet)!.push({ line: snippet.line + 1 + line, message: `TS${diagnostic.code}: ${message}` });
    } else {
      // Not in a snippet (the options, or the package itself): every snippet is affected.
      for (const list of problems.values()) list.push({ line: 0, message: `TS${diagnostic.code}: ${message}` });
    }
  }
  return problems;
}
