#!/usr/bin/env node
// Entry point for `npx esu-scan`: runs the compiled CLI (built by `npm ci` through the prepare script).
import('../dist/cli/main.js').then(async (cli) => {
  process.exitCode = await cli.main(process.argv);
}).catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
