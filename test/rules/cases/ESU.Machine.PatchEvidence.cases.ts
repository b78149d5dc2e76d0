import { ESU_POLICY_DEFINITIONS } from '../../../shared/programs/catalogue.js';
import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { assignment, AT_WS2016, enrolled, ENROLLED, evidence, policyAssignment, summary, WS2016, ws2016Enrolled } from '../caseFixtures/patchCompliance.js';

/** Every case of ESU.Machine.PatchEvidence: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
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
