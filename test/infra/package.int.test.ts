/**
 * `npm run package` (scripts/package.mjs) for real, into a temporary folder: a fresh compile of
 * functions/ + shared/ and a real `npm ci --omit=dev --ignore-scripts` (from the npm cache when warm),
 * then the folder is checked the way the Functions host will load it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../support/repoRoot.js';

const ROOT = repoRoot();

interface Manifest {
  main?: string;
  scripts?: Record<string, string>;
  bin?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Lockfile {
  packages: Record<string, { dev?: boolean }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/'));
}

/** The files a `main` glob of the form `folder/*.js` names in `dir`. */
function entryPoints(dir: string, main: string): string[] {
  const match = /^(.+)\/\*\.js$/.exec(main);
  assert.ok(match, `package.json main ${main} is of the form folder/*.js`);
  const folder = join(dir, match[1]!);
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.js')).map((name) => `${match[1]}/${name}`).sort() : [];
}

describe('npm run package', () => {
  let work = '';
  let out = '';
  const rootManifest = readJson<Manifest>(join(ROOT, 'package.json'));

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'esu-package-'));
    out = join(work, 'package');
    // A stale file from an earlier build must be gone afterwards.
    mkdirSync(join(out, 'dist', 'functions'), { recursive: true });
    writeFileSync(join(out, 'dist', 'functions', 'deletedFunction.js'), 'export {};\n');
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('holds host.json, package.json, package-lock.json, dist/ and node_modules/ only', () => {
    assert.deepEqual(readdirSync(out).sort(), ['dist', 'host.json', 'node_modules', 'package-lock.json', 'package.json']);
    assert.deepEqual(readFileSync(join(out, 'host.json'), 'utf8'), readFileSync(join(ROOT, 'host.json'), 'utf8'));
    assert.deepEqual(readFileSync(join(out, 'package-lock.json'), 'utf8'), readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  });

  test('dist/ is the compiled functions/ and shared/ code, nothing from cli, bench, local, scripts or test, and no stale file', () => {
    const compiled = filesUnder(join(out, 'dist'));
    assert.deepEqual([...new Set(compiled.map((file) => file.split('/')[0]))].sort(), ['functions', 'shared']);
    const sources = ['functions', 'shared'].flatMap((folder) => filesUnder(join(ROOT, folder)).map((file) => `${folder}/${file}`));
    assert.deepEqual(compiled.sort(), sources.filter((file) => file.endsWith('.ts')).map((file) => file.replace(/\.ts$/, '.js')).sort());
    assert.ok(!compiled.includes('functions/deletedFunction.js'), 'the folder is rebuilt from scratch');
    for (const file of compiled) {
      assert.doesNotMatch(readFileSync(join(out, 'dist', file), 'utf8'), /from '(\.\.\/)+(cli|bench|local|test)\//, `${file} imports a development folder`);
    }
  });

  test('no test oracle ships: the command contracts, their checker and the shell tokenizer stay under test/', () => {
    const oracles = readdirSync(join(ROOT, 'test', 'support', 'commands')).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, '.js'));
    assert.deepEqual(oracles.sort(), ['commandCheck.js', 'commandLine.js', 'contracts.js']);
    const compiled = filesUnder(join(out, 'dist'));
    assert.deepEqual(compiled.filter((file) => oracles.includes(file.split('/').at(-1)!)), []);
    for (const file of compiled) {
      // What the oracles export, by name: a copy of them under shared/ would ship them again.
      assert.doesNotMatch(readFileSync(join(out, 'dist', file), 'utf8'), /\b(COMMAND_CONTRACTS|parseStatements|contractsOf|checkCommand)\b/, `${file} carries a test oracle`);
    }
  });

  test('package.json keeps main and the dependencies, without the scripts and CLI bin of the checkout', () => {
    const packaged = readJson<Manifest>(join(out, 'package.json'));
    assert.equal(packaged.main, rootManifest.main);
    assert.deepEqual(packaged.dependencies, rootManifest.dependencies);
    assert.equal(packaged.scripts, undefined, 'no prepare → tsc on a remote build');
    assert.equal(packaged.bin, undefined);
  });

  test('every function entry point that main names is there and loads with production dependencies alone', () => {
    const main = rootManifest.main ?? '';
    const expected = readdirSync(join(ROOT, 'functions')).filter((name) => name.endsWith('.ts')).map((name) => `dist/functions/${name.replace(/\.ts$/, '.js')}`).sort();
    assert.ok(expected.length >= 3);
    assert.deepEqual(entryPoints(out, main), expected);
    for (const entry of expected) {
      const load = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(`./${entry}`)});`], { cwd: out, encoding: 'utf8', timeout: 60_000 });
      assert.equal(load.status, 0, `${entry}: ${load.stderr}`);
    }
  });

  test('node_modules holds no devDependency, direct or transitive, and every production dependency', () => {
    const installed = new Set(
      readdirSync(join(out, 'node_modules')).flatMap((name) =>
        name.startsWith('@') ? readdirSync(join(out, 'node_modules', name)).map((sub) => `${name}/${sub}`) : name.startsWith('.') ? [] : [name],
      ),
    );
    const lock = readJson<Lockfile>(join(ROOT, 'package-lock.json'));
    // A devDependency may also be needed by a production dependency (the lockfile then drops its dev
    // flag): @azure/service-bus needs @types/node (through @types/is-buffer) and rhea (through
    // rhea-promise), exceljs needs jszip. Every other one must be absent.
    const alsoProduction = Object.keys(rootManifest.devDependencies ?? {}).filter((name) => lock.packages[`node_modules/${name}`]?.dev !== true);
    assert.deepEqual(alsoProduction, ['@types/node', 'jszip', 'rhea']);
    for (const name of Object.keys(rootManifest.devDependencies ?? {}).filter((n) => !alsoProduction.includes(n))) {
      assert.ok(!installed.has(name), `devDependency ${name} is in the package`);
    }
    for (const name of Object.keys(rootManifest.dependencies ?? {})) assert.ok(installed.has(name), `dependency ${name} is missing`);
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev === true).map(([path]) => path);
    assert.ok(devOnly.length > 100, 'the lockfile marks development-only packages');
    assert.deepEqual(devOnly.filter((path) => existsSync(join(out, path))), []);
  });

  test('azure.yaml deploys the folder npm run package builds, and the checkout ignores it', () => {
    const yaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
    assert.match(yaml, /^ {4}dist: deploy-package$/m);
    assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^deploy-package\/$/m);
    assert.match(readFileSync(join(ROOT, 'eslint.config.js'), 'utf8'), /'deploy-package\/\*\*'/);
    assert.equal(readJson<Manifest>(join(ROOT, 'package.json')).scripts?.['package'], 'node scripts/package.mjs');
  });
});
