import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';
import { ENROLLED, legacy, WS2019 } from '../caseFixtures/machineOperations.js';
import { BETWEEN, ws2016 } from '../caseFixtures/programs.js';

/** Every case of ESU.Machine.Connected: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Machine.Connected', name: 'pass: connected', subject: machine(), expect: ['Connected.Passed'] },
  { ruleId: 'ESU.Machine.Connected', name: 'pass: status casing ignored', subject: machine({ properties: { status: 'CONNECTED' } }), expect: ['Connected.Passed'] },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: disconnected for 23 days',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2026-08-09T00:00:00Z' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'],
    evidence: { duration: '23 days', disconnectedHours: 552 }, messageIncludes: ['for 23 days', '2026-08-09T00:00:00Z'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: disconnected for 1 day',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2026-08-30T20:00:00Z' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], messageIncludes: ['for 1 day ('],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: disconnected for 5 hours (readiness states: one hour or more)',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2026-08-31T19:00:00Z' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], messageIncludes: ['for 5 hours'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: disconnected exactly one hour',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2026-08-31T23:00:00Z' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], messageIncludes: ['for 1 hour ('],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'warn: disconnected less than an hour ago, no job',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2026-08-31T23:30:00Z' } }),
    expect: ['Connected.PassedWithWarning.RecentlyDisconnected'], messageIncludes: ['less than an hour'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'missing: disconnected without lastStatusChange',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: null } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], evidence: { duration: null }, messageIncludes: ['unknown time', 'not reported'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'malformed: lastStatusChange is not a date',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: 'yesterday' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], messageIncludes: ['unknown time', '"yesterday"'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'malformed: lastStatusChange in the future',
    subject: machine({ properties: { status: 'Disconnected', lastStatusChange: '2027-01-01T00:00:00Z' } }),
    expect: ['Connected.Failed.Disconnected'], jobs: ['reconnect-machine'], messageIncludes: ['unknown time'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: expired needs re-onboarding',
    subject: machine({ properties: { status: 'Expired', lastStatusChange: '2026-08-01T00:00:00Z' } }),
    expect: ['Connected.Failed.Expired'], jobs: ['reonboard-machine'], messageIncludes: ['re-onboarded'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: expired and linked (job relinks the license)',
    subject: machine({ properties: { status: 'expired' }, esuProfile: { ...ENROLLED, assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' } }, [parsedLicense()]),
    expect: ['Connected.Failed.Expired'], jobs: ['reonboard-machine'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: error with errorDetails',
    subject: machine({ properties: { status: 'Error', errorDetails: [{ code: 'AZCM0026', message: 'Network error' }] } }),
    expect: ['Connected.Failed.Error'], jobs: ['reconnect-machine'], evidence: { errorDetails: 'AZCM0026: Network error' }, messageIncludes: ['AZCM0026: Network error'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'fail: error without errorDetails',
    subject: machine({ properties: { status: 'Error' } }),
    expect: ['Connected.Failed.Error'], jobs: ['reconnect-machine'], evidence: { errorDetails: null }, messageIncludes: ['see errorDetails on the machine'],
  },
  {
    ruleId: 'ESU.Machine.Connected', name: 'malformed: errorDetails not a list',
    subject: machine({ properties: { status: 'Error', errorDetails: 'boom' } }),
    expect: ['Connected.Failed.Error'], jobs: ['reconnect-machine'], messageIncludes: ['see errorDetails on the machine'],
  },
  { ruleId: 'ESU.Machine.Connected', name: 'missing: no status', subject: machine({ properties: { status: null } }), expect: ['Connected.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Connected', name: 'missing: empty status', subject: machine({ properties: { status: '  ' } }), expect: ['Connected.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Connected', name: 'malformed: numeric status', subject: machine({ properties: { status: 3 } }), expect: ['Connected.PassedWithWarning.Missing'] },
  { ruleId: 'ESU.Machine.Connected', name: 'malformed: unknown status', subject: machine({ properties: { status: 'Sleeping' } }), expect: ['Connected.PassedWithWarning.Unrecognized'], messageIncludes: ['"Sleeping"'] },
  { ruleId: 'ESU.Machine.Connected', name: 'out of scope: Windows Server 2019 disconnected', subject: machine({ properties: { ...WS2019, status: 'Disconnected' } }), expect: [] },
  { ruleId: 'ESU.Machine.Connected', name: 'out of scope: Windows Server 2008 R2 disconnected', subject: machine({ properties: { ...legacy('Windows Server 2008 R2 Standard'), status: 'Disconnected' } }), expect: [] },
  { ruleId: 'ESU.Machine.Connected', name: 'WS2012 ended: connectivity is not checked for ESU', subject: machine({ properties: { status: 'Disconnected' } }), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.Connected', name: 'AwaitingConnection is not Connected (REST spec enum)', subject: machine(ws2016({ status: 'AwaitingConnection' })), context: BETWEEN, expect: ['Connected.Failed.AwaitingConnection'], jobs: ['reconnect-machine'] },
];
