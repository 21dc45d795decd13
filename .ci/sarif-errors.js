// Prints every error-level result of a SARIF multitool validation log and
// exits 1 when there is any (the multitool itself exits 0 on errors).
"use strict";
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let errors = 0;
let warnings = 0;
for (const run of log.runs || []) {
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  for (const r of run.results || []) {
    const rule = rules[r.ruleIndex] || {};
    const level = r.level || (rule.defaultConfiguration || {}).level || "warning";
    const args = (r.message && r.message.arguments) || [];
    const where = (((r.locations || [])[0] || {}).physicalLocation || {}).artifactLocation || {};
    const line = `${level} ${r.ruleId}: ${where.uri || ""} ${args.join(" | ")}`;
    if (level === "error") {
      errors += 1;
      console.log(line);
    } else if (level === "warning") {
      warnings += 1;
    }
  }
}
for (const run of log.runs || []) {
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) {
      errors += 1;
      console.log("error: the validator did not run to completion");
    }
  }
}
console.log(`sarif validation: ${errors} errors, ${warnings} warnings`);
process.exit(errors > 0 ? 1 : 0);
