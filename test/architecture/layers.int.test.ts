/**
 * The layer lint (`npm run lint:layers`, dependency-cruiser with `.dependency-cruiser.cjs`) for real, through
 * dependency-cruiser's own API with the same configuration (one process for every tree): on small
 * trees written here, it fails on an upward import, an import between peers, a circle and the scan reaching
 * up into an adapter or the runtime, naming the files; an adapter implementing a port of the scan passes; on the
 * repository it finds nothing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { repoRoot } from '../support/repoRoot.js';

const ROOT = repoRoot();
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const LINTED = ['shared', 'functions', 'cli', 'bench', 'scripts', 'local'];

interface LintResult {
  readonly status: number | null;
  readonly output: string;
}

let config: Promise<IConfiguration> | undefined;

/** What `depcruise --config .dependency-cruiser.cjs <folders>` run in `cwd` prints (its `err` report) and exits with. */
async function lint(cwd: string, folders: readonly string[]): Promise<LintResult> {
  const { forbidden, options } = await (config ??= extractDepcruiseConfig(CONFIG) as Promise<IConfiguration>);
  const tsConfigFile = join(cwd, 'tsconfig.json');
  const result = await cruise([...folders], { ...options, baseDir: cwd, tsConfig: { fileName: tsConfigFile }, ruleSet: { forbidden }, validate: true, outputType: 'err' }, undefined, { tsConfig: extractTSConfig(tsConfigFile) });
  return { status: result.exitCode, output: String(result.output) };
}

const trees: string[] = [];

/** A throw-away project: `files` maps a path to its source; imports use `.js` specifiers as the code does. */
function tree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'esu-layers-'));
  trees.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

after(() => {
  for (const dir of trees) rmSync(dir, { recursive: true, force: true });
});

describe('layer lint', () => {
  test('fails on an upward import and names both files', async () => {
    const dir = tree({
      'shared/domain/machine.ts': "import type { Rule } from '../rules/rule.js';\nexport type Machine = { rule?: Rule };\n",
      'shared/rules/rule.ts': 'export interface Rule { readonly id: string }\n',
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /layer-domain: shared\/domain\/machine\.ts → shared\/rules\/rule\.ts/);
  });

  test('fails on an import between peers of one layer (table adapter → ARM adapter, table adapter → Service Bus adapter)', async () => {
    const dir = tree({
      'shared/adapters/tables/store.ts': "import { reader } from '../arm/reader.js';\nimport { publisher } from '../serviceBus/publisher.js';\nexport const store = [reader, publisher];\n",
      'shared/adapters/arm/reader.ts': 'export const reader = 1;\n',
      'shared/adapters/serviceBus/publisher.ts': 'export const publisher = 1;\n',
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /layer-adapters: shared\/adapters\/tables\/store\.ts → shared\/adapters\/arm\/reader\.ts/);
    assert.match(result.output, /layer-adapters: shared\/adapters\/tables\/store\.ts → shared\/adapters\/serviceBus\/publisher\.ts/);
  });

  test('fails on a circle and names every file of it', async () => {
    const dir = tree({
      'shared/programs/program.ts': "import { CATALOGUE } from './catalogue.js';\nexport type Program = { id: string };\nexport const ALL = CATALOGUE;\n",
      'shared/programs/catalogue.ts': "import type { Program } from './program.js';\nexport const CATALOGUE: Program[] = [];\n",
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /no-circular/);
    assert.match(result.output, /shared\/programs\/program\.ts/);
    assert.match(result.output, /shared\/programs\/catalogue\.ts/);
  });

  test('the scan may not reach up into the runtime that wires it (it declares ports instead)', async () => {
    const dir = tree({
      'shared/scan/runScan.ts': "import type { Dependencies } from '../runtime/dependencies.js';\nimport { wire } from '../runtime/appDependencies.js';\nexport type D = Dependencies;\nexport const w = wire;\n",
      'shared/runtime/dependencies.ts': 'export interface Dependencies { readonly name: string }\n',
      'shared/runtime/appDependencies.ts': 'export const wire = 1;\n',
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /layer-scan: shared\/scan\/runScan\.ts → shared\/runtime\/appDependencies\.ts/);
    assert.match(result.output, /layer-scan: shared\/scan\/runScan\.ts → shared\/runtime\/dependencies\.ts/);
  });

  test('the scan may not import an adapter, not even its types (it declares the port, the adapter implements it)', async () => {
    const dir = tree({
      'shared/scan/findingSink.ts': "import type { FindingStore } from '../adapters/tables/findingStore.js';\nimport { TRANSACTION_LIMIT } from '../adapters/tables/entityTransaction.js';\nexport type Sink = { store: FindingStore; limit: typeof TRANSACTION_LIMIT };\n",
      'shared/adapters/tables/findingStore.ts': 'export class FindingStore {}\n',
      'shared/adapters/tables/entityTransaction.ts': 'export const TRANSACTION_LIMIT = 100;\n',
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /layer-scan: shared\/scan\/findingSink\.ts → shared\/adapters\/tables\/entityTransaction\.ts/);
    assert.match(result.output, /layer-scan: shared\/scan\/findingSink\.ts → shared\/adapters\/tables\/findingStore\.ts/);
  });

  test('an adapter implementing a port the scan declares passes', async () => {
    const dir = tree({
      'shared/scan/findingPorts.ts': 'export interface FindingRows { upsert(rows: readonly string[]): Promise<number> }\n',
      'shared/adapters/tables/findingStore.ts': "import type { FindingRows } from '../../scan/findingPorts.js';\nexport class FindingStore implements FindingRows {\n  async upsert(rows: readonly string[]): Promise<number> { return rows.length; }\n}\n",
    });
    const result = await lint(dir, ['shared']);
    assert.equal(result.status, 0, result.output);
  });

  test('a folder of shared/ that is in no layer fails', async () => {
    const dir = tree({
      'shared/newthing/helper.ts': "import type { Machine } from '../domain/machine.js';\nexport type M = Machine;\n",
      'shared/domain/machine.ts': 'export interface Machine { readonly id: string }\n',
    });
    const result = await lint(dir, ['shared']);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /layer-unknown-folder: shared\/newthing\/helper\.ts/);
  });

  test('a downward import passes', async () => {
    const dir = tree({
      'shared/rules/rule.ts': "import type { Machine } from '../domain/machine.js';\nexport type Rule = (machine: Machine) => boolean;\n",
      'shared/domain/machine.ts': 'export interface Machine { readonly id: string }\n',
    });
    const result = await lint(dir, ['shared']);
    assert.equal(result.status, 0, result.output);
  });

  test('the repository has no upward import and no circle', async () => {
    const result = await lint(ROOT, LINTED);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /no dependency violations found/);
  });
});
