import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_CONTRACTS } from '../support/commands/contracts.js';
import { esuPatchesInstalledRule } from '../../shared/rules/machine/esuPatchesInstalled.js';
import { patchAssessmentHealthyRule } from '../../shared/rules/machine/patchAssessmentHealthy.js';
import { patchAssessmentCurrentRule } from '../../shared/rules/machine/patchAssessmentCurrent.js';
import { PATCH_LINKS, PATCH_POLICY_TITLE } from '../../shared/rules/machine/patchFacts.js';
import { repoRoot } from '../support/repoRoot.js';

/**
 * What the patch rules and their pages say, against Microsoft's text: the policy's displayName
 * (Azure/azure-policy PendingESUUpdates_AINE.json), the no-cost claim of Troubleshoot ESU (WS2012 ESU only), the
 * status values' source (HybridCompute MachineAssessPatchesResult), the retired Automation Update Management.
 */
const page = (ruleId: string) => readFileSync(join(repoRoot(), 'docs', 'rules', `${ruleId}.md`), 'utf8');

describe('patch rules against their sources', () => {
  it('the ESU patch policy is named by its exact displayName, in messages and on the pages', () => {
    assert.equal(PATCH_POLICY_TITLE, '[Preview]: Extended Security Updates should be installed on Windows Server 2012 Arc machines.');
    for (const ruleId of ['ESU.Machine.EsuPatchesInstalled', 'ESU.Machine.PatchEvidence']) {
      assert.ok(page(ruleId).includes(`"${PATCH_POLICY_TITLE}"`), `${ruleId} page quotes the displayName`);
    }
  });

  it('the no-cost claim is Microsoft\'s, restricted to Windows Server 2012 ESU enabled by Azure Arc', () => {
    assert.doesNotMatch(esuPatchesInstalledRule.description, /free for machines enrolled through Azure Arc/);
    assert.match(esuPatchesInstalledRule.description, /no additional cost for Azure Arc-enabled servers enrolled in Windows Server 2012 ESU enabled by Azure Arc/);
    assert.doesNotMatch(page('ESU.Machine.EsuPatchesInstalled'), /free for (all )?machines/i);
  });

  it('assessment status values are cited from the assessPatches result schema, not from query logs', () => {
    assert.ok(patchAssessmentHealthyRule.links.some((link) => link.url === PATCH_LINKS.assessResult.url));
    const healthy = page('ESU.Machine.PatchAssessmentHealthy');
    assert.ok(healthy.includes(PATCH_LINKS.assessResult.url));
    assert.doesNotMatch(healthy, /update-manager\/query-logs/);
    assert.match(healthy, /CompletedWithWarnings/);
  });

  it('the retired Automation Update Management is not a source of EsuPatchesInstalled, and is labelled retired on PatchAssessmentCurrent', () => {
    const automation = /automation\/update-management|Update Management solution|Automation Update Management/i;
    assert.doesNotMatch(page('ESU.Machine.EsuPatchesInstalled'), automation);
    const current = page('ESU.Machine.PatchAssessmentCurrent');
    const lines = current.split('\n').filter((text) => automation.test(text));
    assert.ok(lines.length > 0, 'PatchAssessmentCurrent compares with the retired solution');
    for (const line of lines) assert.match(line, /retired|legacy/i, line);
    assert.ok(patchAssessmentCurrentRule.links.some((link) => link.url === PATCH_LINKS.assessmentOptions.url), 'the 24-hour cadence is cited from Update Manager');
    assert.match(current, /ESU\.Machine\.PatchEvidence/, 'after 7 days the row disappears and PatchEvidence takes over');
  });

  it('Install-AzConnectedMachinePatch cites the stored help file', () => {
    const contract = COMMAND_CONTRACTS.find((entry) => entry.command === 'Install-AzConnectedMachinePatch');
    assert.match(contract?.source ?? '', /src\/ConnectedMachine\/ConnectedMachine\/help\/Install-AzConnectedMachinePatch\.md/);
  });
});
