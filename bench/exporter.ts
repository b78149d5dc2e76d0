/**
 * `esu-scan export --xlsx --html` as the benchmark runs it (`--export`): its own process, reading the stored results
 * of the scan just run, so its time and peak memory are measured alone. Output: one JSON line of figures.
 */
import type { AccessToken } from '@azure/core-auth';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadStoredSource } from '../cli/export/exportSource.js';
import { writeExports } from '../cli/export/writeExports.js';
import { createDependencies } from '../shared/runtime/dependencies.js';

export interface ExporterInput {
  readonly storageConnectionString: string;
  readonly outDir: string;
}

export interface ExporterOutput {
  readonly wallMs: number;
  readonly loadMs: number;
  readonly findings: number;
  readonly machines: number;
  readonly xlsxBytes: number;
  readonly htmlBytes: number;
  /** The sorted lists' files (findings, machines, jobs), removed after the export. */
  readonly sortedBytes: number;
  readonly peakRssMb: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ExporterInput;
  const started = performance.now();
  const deps = await createDependencies({}, {
    armCredential: { getToken: async (): Promise<AccessToken> => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    storage: { kind: 'connectionString', connectionString: input.storageConnectionString },
  });
  try {
    // As `exportStored` does, timed in two: reading and sorting the stored results, then writing the files.
    const sorted = mkdtempSync(join(input.outDir, 'sorted-'));
    const source = await loadStoredSource(deps, sorted);
    if (!source) throw new Error('nothing stored to export');
    const loadMs = performance.now() - started;
    const files = { xlsx: join(input.outDir, 'bench.xlsx'), html: join(input.outDir, 'bench.html') };
    await writeExports(source, files);
    const sortedBytes = readdirSync(sorted).reduce((sum, name) => sum + statSync(join(sorted, name)).size, 0);
    rmSync(sorted, { recursive: true, force: true });
    const output: ExporterOutput = {
      wallMs: Math.round(performance.now() - started),
      loadMs: Math.round(loadMs),
      findings: source.findingCount,
      machines: source.machineCount,
      xlsxBytes: statSync(files.xlsx).size,
      htmlBytes: statSync(files.html).size,
      sortedBytes,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await deps.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
