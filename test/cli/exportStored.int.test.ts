import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { loadStoredSource } from '../../cli/export/exportSource.js';
import { writeExports } from '../../cli/export/writeExports.js';
import { openCliEnvironment } from '../../cli/localEnvironment.js';
import { repoRoot } from '../support/repoRoot.js';

const run = promisify(execFile);

/** The sheets' and tables' XML of a workbook (its properties carry the time it was written). */
async function sheetParts(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts: Record<string, string> = {};
  for (const name of Object.keys(zip.files).filter((item) => /^xl\/(worksheets|tables)\/.*\.xml$/.test(item)).sort()) parts[name] = await zip.file(name)!.async('string');
  return parts;
}

describe('export of the stored results, sorted on disk', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-export-stored-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS', 'ESU_PRICES']) delete env[name];
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes the same workbook and report whether its lists fit in memory or are merged from many run files', async () => {
    await run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--quiet', '--as-of', '2026-09-01'], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
    const environment = await openCliEnvironment(env as Record<string, string | undefined>);
    try {
      const write = async (name: string, runSize?: number): Promise<{ runs: number; findings: number }> => {
        const dir = mkdtempSync(join(work, `${name}-sorted-`));
        const source = await loadStoredSource(environment.deps, dir, runSize === undefined ? {} : { runSize });
        assert.ok(source);
        await writeExports(source, { xlsx: join(work, `${name}.xlsx`), html: join(work, `${name}.html`) });
        return { runs: readdirSync(dir).length, findings: source.findingCount };
      };
      const inMemory = await write('memory');
      const merged = await write('merged', 7);
      assert.equal(inMemory.runs, 0, 'the sample estate fits a run');
      assert.ok(merged.runs > merged.findings / 7, `${merged.runs} run files`);
      assert.ok(merged.findings > 100);
      assert.equal(readFileSync(join(work, 'merged.html'), 'utf8'), readFileSync(join(work, 'memory.html'), 'utf8'));
      assert.deepEqual(await sheetParts(join(work, 'merged.xlsx')), await sheetParts(join(work, 'memory.xlsx')));
    } finally {
      await environment.close();
    }
  });
});
