/** infra/main.bicep built once by the real compiler, and the telemetry schema read from it (skipped without a compiler). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { failures, findBicep, runBicep } from '../support/bicepCompiler.js';
import { repoRoot } from '../support/repoRoot.js';
import { telemetrySchemaOf, type TelemetrySchema } from '../../local/telemetrySchema.js';

const found = findBicep();
/** `skip` for describe(): false with a compiler; a reason without one (BICEP_REQUIRED=1 fails instead). */
export const skipWithoutBicep: false | string = 'path' in found || process.env['BICEP_REQUIRED'] === '1' ? false : `skipped: ${found.missing}`;

let compiled: unknown;

export function compiledMain(): unknown {
  if (compiled === undefined) {
    assert.ok('path' in found, 'missing' in found ? found.missing : '');
    const run = runBicep(found.path, 'build', join(repoRoot(), 'infra', 'main.bicep'));
    assert.deepEqual(failures(run), []);
    compiled = JSON.parse(run.stdout);
  }
  return compiled;
}

export function compiledSchema(): TelemetrySchema {
  return telemetrySchemaOf(compiledMain());
}
