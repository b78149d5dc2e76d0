import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { assignment, AT_WS2016, enrolled, ENROLLED, evidence, patch, pending, summary, WS2016, ws2016Enrolled, ws2016Summary } from '../caseFixtures/patchCompliance.js';

/** Every case of ESU.Machine.EsuPatchesInstalled: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
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
];
