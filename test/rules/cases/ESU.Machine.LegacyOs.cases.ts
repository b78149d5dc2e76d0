import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { ENROLLED, legacy, LINUX } from '../caseFixtures/machineOperations.js';
import { assigned2012, BETWEEN, ws2016, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.LegacyOs: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.LegacyOs', name: 'fail: Windows Server 2008 R2', subject: machine({ properties: legacy('Windows Server 2008 R2 Standard') }), expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'], messageIncludes: ['Windows Server 2008 R2 Standard', '14 January 2020'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'fail: Windows Server 2008', subject: machine({ properties: legacy('Windows Server 2008 Datacenter', { osVersion: '6.0.6002' }) }), expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'fail: Windows 7', subject: machine({ properties: legacy('Windows 7 Enterprise') }), expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'] },
  {
    ruleId: 'ESU.Machine.LegacyOs', name: 'fail: linked to an ESU license it cannot use',
    subject: machine({ properties: legacy('Windows Server 2008 R2 Enterprise'), esuProfile: ENROLLED }),
    expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'], evidence: { licenseLinked: true }, messageIncludes: ['linked to an ESU license'],
  },
  {
    ruleId: 'ESU.Machine.LegacyOs', name: 'missing: no OS name, recognised from osVersion 6.1',
    subject: machine({ properties: legacy(null) }), expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'], messageIncludes: ['Windows version 6.1.7601'],
  },
  {
    ruleId: 'ESU.Machine.LegacyOs', name: 'malformed: numeric osName, recognised from osVersion 6.0',
    subject: machine({ properties: { osName: 2008, osSku: null, osVersion: '6.0.6002' } }), expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'],
  },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'not applicable: Windows Server 2012 R2', subject: machine(), expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'not applicable: Linux', subject: machine({ properties: LINUX }), expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'not applicable: 6.1 on a non-Windows OS type', subject: machine({ properties: { osName: null, osSku: null, osType: 'linux', osVersion: '6.1.7601' } }), expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'not applicable: no OS data at all', subject: machine({ properties: { osName: null, osSku: null, osType: null, osVersion: null } }), expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 ended (2026-12-01): High failure with the end date and a migrate job', subject: machine(), context: BETWEEN, expect: ['LegacyOs.Failed.EsuEnded'], jobs: ['migrate-os'], messageIncludes: ['13 October 2026', 'receives no security updates'], evidence: { program: 'WS2012', esuEnd: '2026-10-13' } },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 on its last ESU day (2026-10-13) is still active', subject: machine(), context: { now: new Date('2026-10-13T23:00:00Z') }, expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 ended, still linked: the message says the license covers nothing', subject: machine({ esuProfile: assigned2012 }), context: WS2016_ACTIVE, expect: ['LegacyOs.Failed.EsuEnded'], jobs: ['migrate-os'], messageIncludes: ['covers nothing'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2008 R2: the MAK program ended (2020 ESU announcement)', subject: machine({ properties: { osName: 'Windows Server 2008 R2 Standard', osSku: null, osVersion: '6.1.7601' } }), context: BETWEEN, expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2016 is not ended in 2027', subject: machine(ws2016()), context: WS2016_ACTIVE, expect: [] },
];
