// Runs node's test runner over the compiled tests, in two tiers (docs/testing.md):
//   unit         every dist/test/**/*.test.js except *.int.test.js: pure, no process, no socket (guarded), seconds;
//   integration  every *.int.test.js: Azurite, the ARM stand-in, the AMQP peer, the CLI, Bicep, Chromium;
//   all          (the default) unit, then integration; fails if either fails.
// Usage: node scripts/runTests.mjs [unit|integration|all] [node --test options...]
// Files run in parallel (ESU_TEST_CONCURRENCY; default: the cores for the unit tier, twice as many for the integration
// tier, whose files spend much of their time waiting on emulators, child processes and retry timers: on 2 cores 4 at
// a time took the tier from 189 s to 148 s). Every integration file owns its emulators, ports and temporary folders,
// so none waits for another.
// Node 20 takes no glob patterns, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const root = join(here, '..', 'dist', 'test');
const TIERS = ['unit', 'integration', 'all'];
const [first, ...rest] = process.argv.slice(2);
const tier = TIERS.includes(first) ? first : 'all';
const nodeOptions = TIERS.includes(first) ? rest : process.argv.slice(2);
const cores = availableParallelism();
const concurrencyFor = (name) => Number(process.env.ESU_TEST_CONCURRENCY) || (name === 'integration' ? 2 * cores : cores);
// Node 22 keeps compiled modules between processes (the CLI tests start bin/esu-scan.js dozens of times); Node 20 ignores it.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'esu-scan-node-compile-cache');

const compiled = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.js') && !file.split(/[\\/]/).includes('node_modules'))
  .sort()
  .map((file) => join(root, file));
if (compiled.length === 0) {
  console.error(`no compiled tests under ${root}: run npm run build first`);
  process.exit(1);
}
const isIntegration = (file) => file.endsWith('.int.test.js');
const guard = pathToFileURL(join(here, 'unitTierGuard.mjs')).href;

function run(name, files, extraNodeArgs) {
  const concurrency = concurrencyFor(name);
  console.log(`\n== ${name} tier: ${files.length} files, ${concurrency} at a time`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [...extraNodeArgs, '--test', `--test-concurrency=${concurrency}`, ...nodeOptions, ...files], { stdio: 'inherit' });
  console.log(`== ${name} tier: ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

let status = 0;
if (tier !== 'integration') status ||= run('unit', compiled.filter((file) => !isIntegration(file)), ['--import', guard]);
if (tier !== 'unit') status = run('integration', compiled.filter(isIntegration), []) || status;
process.exit(status);
