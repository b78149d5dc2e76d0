import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLicense } from '../../shared/domain/license.js';
import { parseMachine } from '../../shared/domain/machine.js';
import { toMachineSubject } from '../../shared/rules/machineSubject.js';
import { parseProvider } from '../../shared/domain/provider.js';
import { RULES } from '../../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS } from '../../shared/rules/context.js';
import { evaluateRules, type Evaluation } from '../../shared/scan/evaluate.js';
import { repoRoot } from '../support/repoRoot.js';

/** Microsoft's REST spec examples, copied verbatim into the repository (test/fixtures/arm-examples/SOURCE.md: paths, commits, MIT). */
const examplesDir = join(repoRoot(), 'test', 'fixtures', 'arm-examples');

function bodies(): { file: string; body: Record<string, unknown> }[] {
  const found: { file: string; body: Record<string, unknown> }[] = [];
  for (const folder of readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(examplesDir, folder.name)).filter((n) => n.endsWith('.json'))) {
      const example = JSON.parse(readFileSync(join(examplesDir, folder.name, name), 'utf8')) as { responses?: Record<string, { body?: Record<string, unknown> }> };
      const body = example.responses?.['200']?.body;
      if (body) found.push({ file: `${folder.name}/${name}`, body });
    }
  }
  return found;
}

describe('Microsoft spec example payloads', () => {
  // While Windows Server 2012 ESU ran: the examples are 2012 licenses.
  const context = { now: new Date('2026-09-01T00:00:00Z'), settings: DEFAULT_RULE_SETTINGS };
  const stamp = { scanId: 'scan-spec', evaluatedAt: '2026-09-01T00:00:00.000Z' };

  it('parse and evaluate without evaluation errors', () => {
    const examples = bodies();
    assert.ok(examples.length >= 10, 'the examples are there');
    let machines = 0;
    let licenses = 0;
    for (const { file, body } of examples) {
      const items = Array.isArray(body['value']) ? (body['value'] as unknown[]) : [body];
      for (const item of items) {
        const type = String((item as { type?: unknown }).type ?? '').toLowerCase();
        const into: Evaluation = { findings: [], jobs: [] };
        const target = { resourceId: String((item as { id?: unknown }).id ?? file), resourceType: type, resourceName: file };
        if (type === 'microsoft.hybridcompute/machines') {
          const parsed = parseMachine(item);
          assert.ok(parsed.ok, `${file}: machine parses`);
          evaluateRules(RULES.machine, toMachineSubject(parsed.value), target, context, stamp, into);
          machines += 1;
        } else if (type === 'microsoft.hybridcompute/licenses') {
          const parsed = parseLicense(item);
          assert.ok(parsed.ok, `${file}: license parses`);
          evaluateRules(RULES.license, parsed.value, target, context, stamp, into);
          licenses += 1;
        } else if ((item as { namespace?: unknown }).namespace) {
          assert.ok(parseProvider(item), `${file}: provider parses`);
        }
        const errors = into.findings.filter((f) => f.messageId.endsWith('.Error.Evaluation'));
        assert.deepEqual(errors.map((f) => f.message), [], file);
      }
    }
    assert.ok(machines >= 5 && licenses >= 3, `machines ${machines}, licenses ${licenses}`);
  });

  it('the spec license with 6 pCore processors fails the core minimum (the API does not enforce it)', () => {
    const example = bodies().find((b) => b.file === '2024-07-10/License_ListBySubscription.json');
    const parsed = parseLicense((example?.body['value'] as unknown[])[0]);
    assert.ok(parsed.ok);
    const coreMinimum = RULES.license.filter((rule) => rule.id === 'ESU.License.CoreMinimum');
    const evaluation = evaluateRules(coreMinimum, parsed.value, { resourceId: parsed.value.id, resourceType: 'l', resourceName: 'l' }, context, stamp);
    assert.deepEqual(evaluation.findings.map((f) => f.messageId), ['CoreMinimum.Failed.BelowMinimum']);
  });
});
