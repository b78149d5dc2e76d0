import { PatchEvidenceIndex, parseAssessmentRow, parseEsuGuestAssignment } from '../../../shared/domain/patchEvidence.js';
import { parsePolicyAssignment, type PolicyAssignment } from '../../../shared/domain/policyAssignment.js';
import { ESU_POLICY_DEFINITIONS } from '../../../shared/programs/catalogue.js';
import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { machine, type RuleCase } from '../../support/ruleHarness.js';

/**
 * Patch compliance from the two sources (guest configuration, Update Manager through Resource Graph), built
 * from raw rows by the scanner's own parsers. NOW is 2026-09-01 (WS2012 ESU active); the default machine is an
 * enrolled Windows Server 2012 R2 server with periodic assessment on.
 */
const MACHINE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-servers/providers/Microsoft.HybridCompute/machines/srv-2012r2-01`;
const ENROLLED = { licenseAssignmentState: 'Assigned' };
const enrolled = machine({ esuProfile: ENROLLED });
const WS2016 = { osName: 'Windows Server 2016 Datacenter', osSku: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', agentVersion: '1.68.03100.1234' };

interface Sources {
  readonly assignments?: readonly unknown[];
  readonly rows?: readonly unknown[];
  readonly guestConfigurationRead?: boolean;
  readonly updateManagerRead?: boolean;
  /** Raw policy assignments of the subscription (the scan passes the ESU patch policy's ones). */
  readonly policyAssignments?: readonly unknown[];
}

function evidence(sources: Sources) {
  const policies = sources.policyAssignments?.flatMap((raw): PolicyAssignment[] => { const parsed = parsePolicyAssignment(raw); return parsed.ok ? [parsed.value] : []; });
  const index = new PatchEvidenceIndex(sources.guestConfigurationRead ?? true, sources.updateManagerRead ?? true, policies);
  for (const raw of sources.assignments ?? []) {
    const parsed = parseEsuGuestAssignment(raw, ESU_POLICY_DEFINITIONS.esuPatchesGuestConfiguration);
    if (parsed.ok && parsed.value) index.addAssignment(parsed.value.machineId, parsed.value.assignment);
  }
  for (const raw of sources.rows ?? []) {
    const parsed = parseAssessmentRow(raw);
    if (parsed.ok) index.addRow(parsed.value);
  }
  return { patchEvidence: index };
}

const assignment = (complianceStatus: string, extra: Record<string, unknown> = {}, configuration = 'PendingESUUpdates') => ({
  id: `${MACHINE_ID}/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments/${configuration}$pid3u5ckx7qsq4gi`,
  name: `${configuration}$pid3u5ckx7qsq4gi`,
  properties: {
    complianceStatus, lastComplianceStatusChecked: '2026-08-31T21:40:12Z',
    guestConfiguration: { name: configuration, version: '1.0.0' },
    latestAssignmentReport: { resources: [{ reasons: [{ code: 'x', phrase: 'KB5063950 is missing' }] }] },
    ...extra,
  },
});

const summary = (properties: Record<string, unknown> = {}) => ({
  id: `${MACHINE_ID}/patchAssessmentResults/latest`,
  type: 'microsoft.hybridcompute/machines/patchassessmentresults',
  properties: { status: 'Succeeded', lastModifiedDateTime: '2026-08-31T03:00:00Z', availablePatchCountByClassification: { security: 0, critical: 0, other: 1 }, ...properties },
});
const patch = (kbId: string, classifications = ['Security']) => ({
  id: `${MACHINE_ID}/patchAssessmentResults/latest/softwarePatches/${kbId}`,
  type: 'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches',
  properties: { patchName: `Update KB${kbId}`, kbId, classifications, publishedDateTime: '2026-08-12T17:00:00Z' },
});
const pending = (security: number, critical = 0) => summary({ availablePatchCountByClassification: { security, critical, other: 0 } });
/** A summary row as a failed or unfinished assessment may report it: no availablePatchCountByClassification. */
const withoutCounts = (properties: Record<string, unknown>) => {
  const row = summary(properties);
  const rest: Record<string, unknown> = { ...row.properties };
  delete rest['availablePatchCountByClassification'];
  return { ...row, properties: rest };
};
const ESU_PATCH_POLICY = ESU_POLICY_DEFINITIONS.esuPatchesInstalled;
const policyAssignment = (properties: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/policyAssignments/esu-patches-audit`,
  name: 'esu-patches-audit', type: 'Microsoft.Authorization/policyAssignments',
  properties: { displayName: 'ESU patches (audit)', policyDefinitionId: ESU_PATCH_POLICY, scope: `/subscriptions/${SUBSCRIPTION_ID}`, enforcementMode: 'Default', ...properties },
});
const AT_WS2016 = new Date('2026-12-01T00:00:00Z');
const ws2016Enrolled = machine({ properties: WS2016, esuProfile: ENROLLED });
const ws2016Summary = (properties: Record<string, unknown> = {}) => summary({ lastModifiedDateTime: '2026-11-30T00:00:00Z', ...properties });

export const PATCH_COMPLIANCE_CASES: readonly RuleCase[] = [
  // ESU.Machine.EsuPatchesInstalled
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: guest configuration NonCompliant, with its reason',
    subject: enrolled, context: evidence({ assignments: [assignment('NonCompliant')] }),
    expect: ['EsuPatchesInstalled.Failed.GuestConfigurationNonCompliant'], jobs: ['install-updates'],
    evidence: { source: 'guestConfiguration', complianceStatus: 'NonCompliant' }, messageIncludes: ['NonCompliant', 'KB5063950 is missing', 'licensed is not patched'],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: pending security and critical updates, with the KB list',
    subject: enrolled, context: evidence({ rows: [pending(2, 1), patch('5063950'), patch('5064000', ['Critical']), patch('5063950'), patch('5099999', ['Definition'])] }),
    expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'],
    evidence: { pendingSecurity: 2, pendingCritical: 1, kbIds: ['KB5063950', 'KB5064000'], kbCount: 2 }, messageIncludes: ['2 security and 1 critical', 'KB5063950, KB5064000'],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: pending counts without per-patch rows: no KB list, still failed',
    subject: enrolled, context: evidence({ rows: [pending(1)] }), expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'], evidence: { kbIds: [], kbCount: 0 },
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: pending updates in an old assessment still count',
    subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-01T00:00:00Z', availablePatchCountByClassification: { security: 1 } })] }),
    expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: Compliant guest configuration does not hide pending updates',
    subject: enrolled, context: evidence({ assignments: [assignment('Compliant')], rows: [pending(1)] }), expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'],
  },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'pass: guest configuration Compliant', subject: enrolled, context: evidence({ assignments: [assignment('Compliant')] }), expect: ['EsuPatchesInstalled.Passed'], evidence: { source: 'guestConfiguration' } },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'pass: a current assessment with nothing pending', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['EsuPatchesInstalled.Passed'], evidence: { source: 'updateManager' } },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: an old assessment with nothing pending proves nothing',
    subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-20T00:00:00Z' })] }), expect: [],
  },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a failed assessment says nothing', subject: enrolled, context: evidence({ rows: [summary({ status: 'Failed', errorDetails: { code: 'X', message: 'y' } })] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: guest configuration Pending and no assessment', subject: enrolled, context: evidence({ assignments: [assignment('Pending')] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: another configuration is not the ESU one', subject: enrolled, context: evidence({ assignments: [assignment('NonCompliant', {}, 'AzureWindowsBaseline')] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: Resource Graph unread (its Error finding speaks), never a pass', subject: enrolled, context: evidence({ rows: [summary()], updateManagerRead: false }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: not enrolled', subject: machine(), context: evidence({ rows: [pending(3)] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: WS2012 ended (2026-12-01): LegacyOs speaks', subject: enrolled, context: { now: new Date('2026-12-01T00:00:00Z'), ...evidence({ rows: [pending(3)] }) }, expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: no evidence read at all (no Resource Graph configured)', subject: enrolled, expect: [] },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'WS2016 upcoming (2026-12-01): pending updates on an enrolled machine fail',
    subject: machine({ properties: WS2016, esuProfile: ENROLLED }), context: { now: new Date('2026-12-01T00:00:00Z'), ...evidence({ rows: [summary({ lastModifiedDateTime: '2026-11-30T00:00:00Z', availablePatchCountByClassification: { security: 1 } })] }) },
    expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'], evidence: { program: 'WS2016', programPhase: 'upcoming' },
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a WS2016 machine\'s Compliant from the WS2012 ESU policy is vacuous, no pass',
    subject: ws2016Enrolled, context: { now: AT_WS2016, ...evidence({ assignments: [assignment('Compliant')] }) }, expect: [],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a WS2016 machine\'s NonCompliant from the WS2012 ESU policy says nothing about WS2016 updates',
    subject: ws2016Enrolled, context: { now: AT_WS2016, ...evidence({ assignments: [assignment('NonCompliant')] }) }, expect: [],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'WS2016: only Update Manager decides (a current clean assessment passes, the policy\'s NonCompliant is ignored)',
    subject: ws2016Enrolled, context: { now: AT_WS2016, ...evidence({ assignments: [assignment('NonCompliant')], rows: [ws2016Summary()] }) },
    expect: ['EsuPatchesInstalled.Passed'], evidence: { source: 'updateManager', complianceStatus: null },
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: CompletedWithWarnings with errorDetails keeps its pending counts',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'CompletedWithWarnings', errorDetails: { code: 'SomePatchesFailed' }, availablePatchCountByClassification: { security: 2, critical: 0 } })] }),
    expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'], evidence: { pendingSecurity: 2 },
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'pass: a current CompletedWithWarnings assessment with nothing pending',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'CompletedWithWarnings', errorDetails: { code: 'SomePatchesFailed' } })] }), expect: ['EsuPatchesInstalled.Passed'], evidence: { source: 'updateManager' },
  },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a current InProgress row with zero counts is no "nothing pending"', subject: enrolled, context: evidence({ rows: [summary({ status: 'InProgress' })] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a current Unknown row with zero counts is no pass', subject: enrolled, context: evidence({ rows: [summary({ status: 'Unknown' })] }), expect: [] },
  { ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'silent: a current row without status is no pass', subject: enrolled, context: evidence({ rows: [summary({ status: undefined })] }), expect: [] },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'fail: pending counts of an InProgress row still fail (not a failed assessment)',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'InProgress', availablePatchCountByClassification: { security: 1 } })] }), expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'],
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'a per-patch classification "Security Updates" (whole word, as the query\'s has) lists its KB',
    subject: enrolled, context: evidence({ rows: [pending(2), patch('5070000', ['Security Updates']), patch('5070001', ['CRITICAL']), patch('5070002', ['SecurityTools'])] }),
    expect: ['EsuPatchesInstalled.Failed.UpdatesPending'], jobs: ['install-updates'], evidence: { kbIds: ['KB5070000', 'KB5070001'], kbCount: 2 },
  },
  {
    ruleId: 'ESU.Machine.EsuPatchesInstalled', name: 'the policy is named by its exact display name',
    subject: enrolled, context: evidence({ assignments: [assignment('NonCompliant')] }), expect: ['EsuPatchesInstalled.Failed.GuestConfigurationNonCompliant'], jobs: ['install-updates'],
    messageIncludes: ['policy "[Preview]: Extended Security Updates should be installed on Windows Server 2012 Arc machines."'],
  },
  // ESU.Machine.PatchAssessmentCurrent
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'pass: one day old', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 0, maxAgeDays: 3 } },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'pass: exactly 3 days old', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-29T00:00:00Z' })] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 3 } },
  {
    ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'warn: 12 days old, with an assess job',
    subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-20T00:00:00Z' })] }),
    expect: ['PatchAssessmentCurrent.PassedWithWarning.Stale'], jobs: ['assess-patches'], evidence: { ageDays: 12 }, messageIncludes: ['12 days old', 'more than 3 days'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'the limit is a setting: 15 days allowed',
    subject: enrolled, context: { ...evidence({ rows: [summary({ lastModifiedDateTime: '2026-08-20T00:00:00Z' })] }), settings: { patchAssessmentMaxAgeDays: 15 } }, expect: ['PatchAssessmentCurrent.Passed'],
  },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'malformed: no readable date', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: 'last week' })] }), expect: ['PatchAssessmentCurrent.PassedWithWarning.NoDate'], jobs: ['assess-patches'] },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'a date after the evaluation time counts as current', subject: enrolled, context: evidence({ rows: [summary({ lastModifiedDateTime: '2026-11-30T00:00:00Z' })] }), expect: ['PatchAssessmentCurrent.Passed'], evidence: { ageDays: 0 } },
  { ruleId: 'ESU.Machine.PatchAssessmentCurrent', name: 'silent: no assessment', subject: enrolled, context: evidence({ assignments: [assignment('Compliant')] }), expect: [] },
  // ESU.Machine.PatchAssessmentHealthy
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: succeeded', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['PatchAssessmentHealthy.Passed'] },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: status Failed with errorDetails',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'Failed', errorDetails: { code: 'WindowsUpdateServiceNotRunning', message: 'wuauserv is disabled' } })] }),
    expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'], evidence: { errorCode: 'WindowsUpdateServiceNotRunning' }, messageIncludes: ['wuauserv is disabled'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: CompletedWithWarnings with errorDetails finished (its counts stand)',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'CompletedWithWarnings', errorDetails: { code: 'SomePatchesFailed' } })] }), expect: ['PatchAssessmentHealthy.Passed'], messageIncludes: ['finished (status CompletedWithWarnings)'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: a Failed assessment without counts is read (not a malformed row) and fails',
    subject: enrolled, context: evidence({ rows: [withoutCounts({ status: 'Failed', errorDetails: { code: 'WindowsUpdateServiceNotRunning', message: 'wuauserv is disabled' } })] }),
    expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'], evidence: { countsReported: false },
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'fail: InProgress with errorDetails did not complete',
    subject: enrolled, context: evidence({ rows: [summary({ status: 'InProgress', errorDetails: { code: 'Timeout', message: 'assessment timed out' } })] }), expect: ['PatchAssessmentHealthy.Failed.AssessmentFailed'], jobs: ['assess-patches'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: InProgress without counts has no result yet (never "succeeded")',
    subject: enrolled, context: evidence({ rows: [withoutCounts({ status: 'InProgress' })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'], evidence: { countsReported: false }, messageIncludes: ['status InProgress and no patch counts', 'no result yet'],
  },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: Unknown with zero counts has no result yet', subject: enrolled, context: evidence({ rows: [summary({ status: 'Unknown' })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'warn: no status at all has no result', subject: enrolled, context: evidence({ rows: [summary({ status: undefined })] }), expect: ['PatchAssessmentHealthy.PassedWithWarning.NoResult'], messageIncludes: ['status not reported'] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'bad input: a Succeeded row without counts is malformed (the read reports it), never a pass', subject: enrolled, context: evidence({ rows: [withoutCounts({})] }), expect: [] },
  { ruleId: 'ESU.Machine.PatchAssessmentHealthy', name: 'pass: Succeeded with an empty errorDetails', subject: enrolled, context: evidence({ rows: [summary({ errorDetails: { code: null, message: null } })] }), expect: ['PatchAssessmentHealthy.Passed'] },
  // ESU.Machine.PatchEvidence
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'warn: neither source reports a WS2012 machine: assign the policy',
    subject: enrolled, context: evidence({}), expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assign-esu-policy'],
    evidence: { policyApplies: true, policyDefinitionId: ESU_POLICY_DEFINITIONS.esuPatchesInstalled }, messageIncludes: ['Extended Security Updates should be installed on Windows Server 2012 Arc machines', 'trigger a patch assessment'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'warn: a WS2016 machine without periodic assessment: turn it on (the policy is for 2012 only)',
    subject: machine({ properties: { ...WS2016, osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'ImageDefault' } } } }, esuProfile: ENROLLED }),
    context: { now: new Date('2026-12-01T00:00:00Z'), ...evidence({}) },
    expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['enable-patch-assessment'], evidence: { policyApplies: false, periodicAssessment: false }, messageIncludes: ['Turn on Update Manager periodic assessment'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'warn: a WS2016 machine with periodic assessment but no result: assess now',
    subject: machine({ properties: WS2016, esuProfile: ENROLLED }), context: { now: new Date('2026-12-01T00:00:00Z'), ...evidence({ assignments: [assignment('Compliant', {}, 'AzureWindowsBaseline')] }) },
    expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assess-patches'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'warn: the policy is assigned but has no result yet: no second assignment, assess instead',
    subject: enrolled, context: evidence({ policyAssignments: [policyAssignment()] }),
    expect: ['PatchEvidence.PassedWithWarning.PolicyAssignedNoResult'], jobs: ['assess-patches'],
    evidence: { policyApplies: true, policyAssignment: 'ESU patches (audit)' }, messageIncludes: ['is assigned (ESU patches (audit))', 'assigned, no result yet', 'Trigger a patch assessment'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'warn: assigned, no result, periodic assessment off: turn it on',
    subject: machine({ properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'ImageDefault' } } } }, esuProfile: ENROLLED }), context: evidence({ policyAssignments: [policyAssignment()] }),
    expect: ['PatchEvidence.PassedWithWarning.PolicyAssignedNoResult'], jobs: ['enable-patch-assessment'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'an assignment with effect Disabled does not count: assign the policy',
    subject: enrolled, context: evidence({ policyAssignments: [policyAssignment({ parameters: { effect: { value: 'Disabled' } } })] }), expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assign-esu-policy'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'an assignment whose notScopes exclude the machine\'s resource group does not count',
    subject: enrolled, context: evidence({ policyAssignments: [policyAssignment({ notScopes: [`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-servers`] })] }), expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assign-esu-policy'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'another policy assigned does not count',
    subject: enrolled, context: evidence({ policyAssignments: [policyAssignment({ policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/4864134f-d306-4ff5-94d8-ea4553b18c97' })] }), expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assign-esu-policy'],
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'WS2016: a PendingESUUpdates result is no evidence (the policy checks WS2012 only)',
    subject: ws2016Enrolled, context: { now: AT_WS2016, ...evidence({ assignments: [assignment('Compliant')] }) }, expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assess-patches'], evidence: { policyApplies: false, sources: '' },
  },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'WS2016: an unreadable guest configuration list does not hide "no evidence" (only Update Manager counts)',
    subject: ws2016Enrolled, context: { now: AT_WS2016, ...evidence({ guestConfigurationRead: false }) }, expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assess-patches'],
  },
  { ruleId: 'ESU.Machine.PatchEvidence', name: 'pass: guest configuration reports', subject: enrolled, context: evidence({ assignments: [assignment('Pending')] }), expect: ['PatchEvidence.Passed'], evidence: { sources: 'machine configuration' } },
  { ruleId: 'ESU.Machine.PatchEvidence', name: 'pass: Update Manager reports', subject: enrolled, context: evidence({ rows: [summary()] }), expect: ['PatchEvidence.Passed'], evidence: { sources: 'Update Manager' } },
  { ruleId: 'ESU.Machine.PatchEvidence', name: 'silent: the guest configuration list was unreadable', subject: enrolled, context: evidence({ guestConfigurationRead: false }), expect: [] },
  { ruleId: 'ESU.Machine.PatchEvidence', name: 'silent: Resource Graph was unreadable', subject: enrolled, context: evidence({ updateManagerRead: false }), expect: [] },
  {
    ruleId: 'ESU.Machine.PatchEvidence', name: 'rows of another machine are not this one\'s evidence',
    subject: machine({ name: 'srv-2012r2-02', esuProfile: ENROLLED }), context: evidence({ rows: [summary()], assignments: [assignment('Compliant')] }), expect: ['PatchEvidence.PassedWithWarning.NoEvidence'], jobs: ['assign-esu-policy'],
  },
];
