// `npm run package`: builds the folder azd deploys (azure.yaml `dist:`), from scratch each time:
// host.json, package.json, package-lock.json, the compiled functions/ and shared/ code (dist/, the
// same layout as in the checkout, so package.json `main` holds) and production dependencies only.
// Usage: node scripts/package.mjs [--out DIR]   (default: deploy-package/ in the checkout)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag >= 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(root, 'deploy-package');

function run(command, args, cwd) {
  // npm is a .cmd on Windows, which only a shell starts.
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit status ${result.status}`})`);
    process.exit(1);
  }
}

// A stale file from an earlier build (a deleted function) must never be deployed.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.package.json'), '--outDir', join(out, 'dist')], root);

// package.json without what only the checkout uses (scripts such as `prepare` → tsc, the CLI bin):
// a remote build on the Functions side would otherwise run them without the sources.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
delete manifest.scripts;
delete manifest.bin;
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
copyFileSync(join(root, 'host.json'), join(out, 'host.json'));

run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], out);
console.log(`package ready: ${out}`);
