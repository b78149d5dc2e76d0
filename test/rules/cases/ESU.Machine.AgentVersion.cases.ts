import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { BEFORE_2012_END, BETWEEN, ws2016, WS2016_ACTIVE } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.AgentVersion: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: newer agent', subject: machine(), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: exactly 1.34 with build numbers', subject: machine({ properties: { agentVersion: '1.34.02345.1234' } }), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: 1.34 written short', subject: machine({ properties: { agentVersion: '1.34' } }), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'fail: 1.33 below minimum', subject: machine({ properties: { agentVersion: '1.33.02399.1302' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'fail: numeric, not lexical (1.4 < 1.34)', subject: machine({ properties: { agentVersion: '1.4.0' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'warn: missing agent version', subject: machine({ properties: { agentVersion: null } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'warn: empty agent version', subject: machine({ properties: { agentVersion: '' } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: "1.x"', subject: machine({ properties: { agentVersion: '1.x' } }), expect: ['AgentVersion.PassedWithWarning.Unparsable'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: "v1.34"', subject: machine({ properties: { agentVersion: 'v1.34' } }), expect: ['AgentVersion.PassedWithWarning.Unparsable'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: number instead of text', subject: machine({ properties: { agentVersion: 1.34 } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'in scope by osVersion 6.2 when osName is null', subject: machine({ properties: { osName: null, osSku: null, osVersion: '6.2.9200', agentVersion: '1.20' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Windows Server 2019', subject: machine({ properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763', agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Linux', subject: machine({ properties: { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04', agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Storage Server 2012 R2', subject: machine({ properties: { osName: 'Windows Storage Server 2012 R2 Standard', osSku: null, agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Windows 8.1 has 6.3 too', subject: machine({ properties: { osName: 'Windows 8.1 Pro', osSku: null, agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2012 ended: the agent minimum no longer applies', subject: machine({ properties: { agentVersion: '1.20' } }), context: BETWEEN, expect: [] },
  // WS2016: readiness before 2027-01-12, delivery from 2027-01-13 (Microsoft "Prepare to deliver ESU": agent 1.62)
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016 upcoming: agent 1.58 is a readiness warning naming 1.62 and the days left, with an upgrade job', subject: machine(ws2016({ agentVersion: '1.58.03000.100' })), context: BETWEEN, expect: ['AgentVersion.PassedWithWarning.BelowMinimumBeforeDeadline'], jobs: ['upgrade-agent'], messageIncludes: ['1.62', '12 January 2027', '42 days left'], evidence: { minimumVersion: '1.62', program: 'WS2016', daysLeft: 42 } },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016 active: agent 1.58 fails naming 1.62', subject: machine(ws2016({ agentVersion: '1.58.03000.100' })), context: WS2016_ACTIVE, expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'], messageIncludes: ['1.62'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016: agent 1.62 passes', subject: machine(ws2016({ agentVersion: '1.62.03050.1' })), context: BETWEEN, expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2012 active: agent 1.45 passes the 1.34 minimum', subject: machine(), context: BEFORE_2012_END, expect: ['AgentVersion.Passed'], evidence: { minimumVersion: '1.34' } },
];
