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
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { repoRoot } from '../support/repoRoot.js';

const ROOT = repoRoot();
const MAIN = join(ROOT, 'infra', 'main.bicep');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bicep');
const EXECUTABLE = process.platform === 'win32' ? 'bicep.exe' : 'bicep';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The compiler to use and where it was found, or why there is none. */
function findBicep(): { path: string } | { missing: string } {
  const configured = process.env['BICEP_PATH'];
  if (configured) {
    return isExecutable(configured) ? { path: configured } : { missing: `BICEP_PATH=${configured} is not an executable file` };
  }
  for (const folder of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, EXECUTABLE);
    if (isExecutable(candidate)) return { path: candidate };
  }
  const azureCli = join(homedir(), '.azure', 'bin', EXECUTABLE);
  if (isExecutable(azureCli)) return { path: azureCli };
  return { missing: 'no Bicep compiler: BICEP_PATH is unset, no bicep on PATH, no ~/.azure/bin/bicep' };
}

interface BicepRun {
  readonly status: number | null;
  readonly stdout: string;
  /** Every error and warning the compiler or linter printed, one line each. */
  readonly problems: string[];
  readonly stderr: string;
}

const DIAGNOSTIC = /^.*\(\d+,\d+\) : (Error|Warning) [\w-]+: .*$/gm;

function runBicep(bicep: string, command: 'build' | 'lint', file: string): BicepRun {
  const args = command === 'build' ? ['build', '--no-restore', file, '--stdout'] : ['lint', '--no-restore', file];
  const result = spawnSync(bicep, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  const problems = [...result.stderr.matchAll(DIAGNOSTIC)].map((match) => match[0]);
  return { status: result.status, stdout: result.stdout, problems, stderr: result.stderr };
}

/** Problems that fail the check: every diagnostic, or the exit status when nothing was printed. */
function failures(run: BicepRun): string[] {
  if (run.problems.length > 0) return run.problems;
  return run.status === 0 ? [] : [`exit status ${run.status}: ${run.stderr.trim()}`];
}

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
    assert.ok(regions.includes('westeurope'), 'the README example region is allowed');
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
