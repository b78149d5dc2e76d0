import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { WS2019 } from '../caseFixtures/machineOperations.js';
import { BETWEEN, ws2016 } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.Eligibility: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.Eligibility', name: 'pass: eligible', subject: machine(), expect: ['Eligibility.Passed'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'pass: casing ignored', subject: machine({ esuProfile: { esuEligibility: 'ELIGIBLE' } }), expect: ['Eligibility.Passed'] },
  {
    ruleId: 'ESU.Machine.Eligibility', name: 'fail: ineligible, no job', subject: machine({ esuProfile: { esuEligibility: 'Ineligible' } }),
    expect: ['Eligibility.Failed.Ineligible'], messageIncludes: ['Ineligible', 'agent 1.45.02880.1846', 'Windows Server 2012 R2 Datacenter'],
  },
  {
    ruleId: 'ESU.Machine.Eligibility', name: 'fail: ineligible on Azure Stack HCI names the environment', subject: machine({ kind: 'HCI', esuProfile: { esuEligibility: 'ineligible' } }),
    expect: ['Eligibility.Failed.Ineligible'], messageIncludes: ['runs on AzureStackHCI'],
  },
  {
    ruleId: 'ESU.Machine.Eligibility', name: 'fail: ineligible with missing facts reads well', subject: machine({ properties: { status: null, agentVersion: null }, esuProfile: { esuEligibility: 'Ineligible' } }),
    expect: ['Eligibility.Failed.Ineligible'], messageIncludes: ['status not reported', 'agent not reported'],
  },
  { ruleId: 'ESU.Machine.Eligibility', name: 'warn: unknown', subject: machine({ esuProfile: { esuEligibility: 'Unknown' } }), expect: ['Eligibility.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'missing: no esuEligibility', subject: machine({ esuProfile: { esuEligibility: null } }), expect: ['Eligibility.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'missing: no licenseProfile at all', subject: machine({ properties: { licenseProfile: null } }), expect: ['Eligibility.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'malformed: odd value', subject: machine({ esuProfile: { esuEligibility: 'Maybe' } }), expect: ['Eligibility.PassedWithWarning.Unrecognized'], messageIncludes: ['"Maybe"'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'malformed: numeric value', subject: machine({ esuProfile: { esuEligibility: 1 } }), expect: ['Eligibility.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'out of scope: Windows Server 2019 ineligible', subject: machine({ properties: WS2019, esuProfile: { esuEligibility: 'Ineligible' } }), expect: [] },
  // Changed with the programs catalogue: an edition ESU does not cover now says so (it was silent).
  { ruleId: 'ESU.Machine.Eligibility', name: 'fail: Storage Server 2012 is out of ESU scope (edition not covered)', subject: machine({ properties: { osName: 'Windows Storage Server 2012 Standard', osSku: null }, esuProfile: { esuEligibility: 'Ineligible' } }), expect: ['Eligibility.Failed.EditionNotCovered'], evidence: { edition: 'StorageServer', program: 'WS2012' } },
  { ruleId: 'ESU.Machine.Eligibility', name: 'fail: Windows Server 2012 R2 Essentials is out of ESU scope', subject: machine({ properties: { osName: 'Windows Server 2012 R2 Essentials', osSku: 'Windows Server 2012 R2 Essentials' } }), expect: ['Eligibility.Failed.EditionNotCovered'], messageIncludes: ['Essentials'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'fail: Windows Server 2012 Foundation is out of ESU scope', subject: machine({ properties: { osName: 'Windows Server 2012 Foundation', osSku: 'Windows Server 2012 Foundation' } }), expect: ['Eligibility.Failed.EditionNotCovered'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'WS2016 upcoming: eligibility is read for the 2016 program', subject: machine(ws2016()), context: BETWEEN, expect: ['Eligibility.Passed'], messageIncludes: ['Windows Server 2016 ESU'] },
];
