/**
 * infra/ through the real Bicep compiler: `bicep build` and `bicep lint` of infra/main.bicep (and the
 * modules it pulls in) must report no error and no warning. A warning that is accepted is suppressed
 * in the template itself with `#disable-next-line <rule> // reason`.
 *
 * The compiler is BICEP_PATH, else `bicep` on PATH, else ~/.azure/bin/bicep (`az bicep install`).
 * Without one these tests skip with a reason that names the missing compiler, unless BICEP_REQUIRED=1
 * (`.ci/run` sets it), which turns the skip into a failure.
 *
 * Offline: every call passes `--no-restore` (infra/ uses no registry modules, and restoring is the
 * step that reaches the network), and infra/bicepconfig.json keeps the calendar-dependent
 * `use-recent-api-versions` rule off.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { failures, findBicep, runBicep } from '../support/bicepCompiler.js';
import { repoRoot } from '../support/repoRoot.js';

const ROOT = repoRoot();
const MAIN = join(ROOT, 'infra', 'main.bicep');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bicep');

const found = findBicep();
const required = process.env['BICEP_REQUIRED'] === '1';
const skip = 'path' in found ? false : `skipped: ${found.missing} (set BICEP_REQUIRED=1 to fail instead)`;

describe('infra/ with the real Bicep compiler', () => {
  test('a Bicep compiler is available, as BICEP_REQUIRED demands', { skip: !required }, () => {
    assert.ok('path' in found, `BICEP_REQUIRED=1 but ${'missing' in found ? found.missing : ''}`);
  });

  test('infra/main.bicep builds with no error and no warning', { skip }, () => {
    assert.ok('path' in found);
    const run = runBicep(found.path, 'build', MAIN);
    assert.deepEqual(failures(run), []);
    const template = JSON.parse(run.stdout) as {
      $schema: string;
      parameters: Record<string, { type: string; allowedValues?: unknown[] }>;
      outputs: Record<string, unknown>;
    };
    assert.match(template.$schema, /subscriptionDeploymentTemplate\.json#$/);
    for (const output of ['AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_NAME', 'AZURE_LOCATION', 'AZURE_TENANT_ID']) {
      assert.ok(output in template.outputs, `compiled template outputs ${output}`);
    }
    const regions = template.parameters['location']?.allowedValues ?? [];
    assert.ok(regions.includes('westeurope'), 'the example region of README.md and docs/deploy.md is allowed');
    assert.ok(!regions.includes('eastus2euap'), 'no canary region');
    // azd passes exactly the parameters of main.parameters.json; each must exist with a type azd can fill from a string.
    const file = JSON.parse(readFileSync(join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
    for (const name of Object.keys(file.parameters)) {
      assert.ok(['string', 'bool', 'int'].includes(template.parameters[name]?.type ?? ''), `${name}: ${template.parameters[name]?.type}`);
    }
  });

  test('infra/main.bicep and its modules lint with no error and no warning', { skip }, () => {
    assert.ok('path' in found);
    assert.ok(existsSync(join(ROOT, 'infra', 'bicepconfig.json')), 'infra/bicepconfig.json');
    assert.deepEqual(failures(runBicep(found.path, 'lint', MAIN)), []);
  });

  test('infra/managementGroupReader.bicep (optional, deployed on its own) builds and lints with no error and no warning', { skip }, () => {
    assert.ok('path' in found);
    const file = join(ROOT, 'infra', 'managementGroupReader.bicep');
    const run = runBicep(found.path, 'build', file);
    assert.deepEqual(failures(run), []);
    assert.match((JSON.parse(run.stdout) as { $schema: string }).$schema, /managementGroupDeploymentTemplate\.json#$/);
    assert.deepEqual(failures(runBicep(found.path, 'lint', file)), []);
  });

  test('the compile check fails on a broken template', { skip }, () => {
    assert.ok('path' in found);
    const run = runBicep(found.path, 'build', join(FIXTURES, 'broken.bicep'));
    const problems = failures(run);
    assert.notEqual(run.status, 0);
    assert.ok(problems.some((line) => / : Error BCP033: /.test(line)), problems.join('\n'));
    assert.ok(problems.some((line) => / : Error BCP057: /.test(line)), problems.join('\n'));
  });

  test('the lint check fails on a warning alone', { skip }, () => {
    assert.ok('path' in found);
    const run = runBicep(found.path, 'lint', join(FIXTURES, 'warning.bicep'));
    assert.equal(run.status, 0, 'bicep lint exits 0 on warnings, so the check reads the diagnostics');
    assert.deepEqual(failures(run).map((line) => line.replace(/^.*\) : /, '')), [
      'Warning no-unused-params: Parameter "unusedName" is declared but never used. [https://aka.ms/bicep/linter-diagnostics#no-unused-params]',
    ]);
  });
});
