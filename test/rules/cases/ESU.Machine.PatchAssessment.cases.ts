import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { ENROLLED, WS2019 } from '../caseFixtures/machineOperations.js';

/** Every case of ESU.Machine.PatchAssessment: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'pass: enrolled with periodic assessment', subject: machine({ esuProfile: ENROLLED }), expect: ['PatchAssessment.Passed'] },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'pass: casing ignored', subject: machine({ esuProfile: ENROLLED, properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'automaticByPlatform' } } } } }), expect: ['PatchAssessment.Passed'] },
  {
    ruleId: 'ESU.Machine.PatchAssessment', name: 'warn: ImageDefault', subject: machine({ esuProfile: ENROLLED, properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'ImageDefault' } } } } }),
    expect: ['PatchAssessment.PassedWithWarning.NotPeriodic'], jobs: ['enable-patch-assessment'], messageIncludes: ['ImageDefault', 'KB5031043'],
  },
  {
    ruleId: 'ESU.Machine.PatchAssessment', name: 'warn: enrolled by immutable id only',
    subject: machine({ esuProfile: { assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' }, properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'Manual' } } } } }),
    expect: ['PatchAssessment.PassedWithWarning.NotPeriodic'], jobs: ['enable-patch-assessment'],
  },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'missing: no osProfile', subject: machine({ esuProfile: ENROLLED, properties: { osProfile: null } }), expect: ['PatchAssessment.PassedWithWarning.Missing'], jobs: ['enable-patch-assessment'] },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'malformed: numeric assessmentMode', subject: machine({ esuProfile: ENROLLED, properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 2 } } } } }), expect: ['PatchAssessment.PassedWithWarning.Missing'], jobs: ['enable-patch-assessment'] },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'malformed: empty assessmentMode', subject: machine({ esuProfile: ENROLLED, properties: { osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: '' } } } } }), expect: ['PatchAssessment.PassedWithWarning.Missing'], jobs: ['enable-patch-assessment'] },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'not applicable: not enrolled', subject: machine({ properties: { osProfile: null } }), expect: [] },
  { ruleId: 'ESU.Machine.PatchAssessment', name: 'out of scope: Windows Server 2019 linked', subject: machine({ esuProfile: ENROLLED, properties: { ...WS2019, osProfile: null } }), expect: [] },
];
