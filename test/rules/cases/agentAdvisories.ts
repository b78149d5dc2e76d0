import { machine, type RuleCase } from '../../support/ruleHarness.js';

/**
 * ESU.Machine.AgentVulnerability against the six CVE records of the agent (sources/cve/connected-machine-agent.json):
 * an agent just below and at each record's bound, and every record just before and on its publication day.
 * The expected ids are written out by hand from the records, not computed.
 */
const ALL_PUBLISHED = { now: new Date('2026-12-07T12:00:00Z') };
const R2024_21329 = 'CVE-2024-21329';
const R21224 = 'CVE-2026-21224';
const R26117 = 'CVE-2026-26117';
const R40381 = 'CVE-2026-40381';
const R47632 = 'CVE-2026-47632';
const R96204 = 'CVE-2026-96204';

const byVersion: [agentVersion: string, advisories: string[], fixedIn?: string][] = [
  ['1.0.0', [R2024_21329, R21224, R26117, R40381, R47632, R96204], '1.68'],
  ['1.37.99999.9999', [R2024_21329, R21224, R26117, R40381, R47632, R96204], '1.68'],
  ['1.38', [R21224, R26117, R40381, R47632, R96204], '1.68'],
  ['1.60.03280.2600', [R21224, R26117, R40381, R47632, R96204], '1.68'],
  ['1.60.03293.2679', [R21224, R26117, R40381, R47632, R96204], '1.68'],
  ['1.60.03293.2680', [R26117, R40381, R47632, R96204], '1.68'],
  ['1.60.99999.1', [R26117, R40381, R47632, R96204], '1.68'],
  ['1.61', [R40381, R47632, R96204], '1.68'],
  ['1.62.03211.1', [R40381, R47632, R96204], '1.68'],
  ['1.63', [R47632, R96204], '1.68'],
  ['1.64.03300.1', [R47632, R96204], '1.68'],
  ['1.65', [R96204], '1.68'],
  ['1.67.03456.2', [R96204], '1.68'],
  ['1.68', []],
  ['1.68.03500.1', []],
  ['0.99', []], // below every record's versionStartIncluding 1.0.0
];

/** An agent below every bound (1.37), at the evaluation day just before and on each publication day. */
const byDate: [at: string, advisories: string[] | undefined][] = [
  ['2024-02-12T23:59:59Z', undefined], // nothing published yet: no finding at all
  ['2024-02-13T00:00:00Z', [R2024_21329]],
  ['2026-01-12T23:59:59Z', [R2024_21329]],
  ['2026-01-13T00:00:00Z', [R2024_21329, R21224]],
  ['2026-03-09T23:59:59Z', [R2024_21329, R21224]],
  ['2026-03-10T00:00:00Z', [R2024_21329, R21224, R26117]],
  ['2026-05-11T23:59:59Z', [R2024_21329, R21224, R26117]],
  ['2026-05-12T00:00:00Z', [R2024_21329, R21224, R26117, R40381]],
  ['2026-07-13T23:59:59Z', [R2024_21329, R21224, R26117, R40381]],
  ['2026-07-14T00:00:00Z', [R2024_21329, R21224, R26117, R40381, R47632]],
  ['2026-10-12T23:59:59Z', [R2024_21329, R21224, R26117, R40381, R47632]],
  ['2026-10-13T00:00:00Z', [R2024_21329, R21224, R26117, R40381, R47632, R96204]],
];

export const AGENT_ADVISORY_CASES: readonly RuleCase[] = [
  ...byVersion.map(([agentVersion, advisories, fixedIn]): RuleCase =>
    advisories.length === 0
      ? { ruleId: 'ESU.Machine.AgentVulnerability', name: `agent ${agentVersion} on 2026-12-07: no record affects it`, subject: machine({ properties: { agentVersion } }), context: ALL_PUBLISHED, expect: ['AgentVulnerability.Passed'], evidence: { checked: [R2024_21329, R21224, R26117, R40381, R47632, R96204].join(', ') } }
      : {
          ruleId: 'ESU.Machine.AgentVulnerability', name: `agent ${agentVersion} on 2026-12-07: ${advisories.join(', ')}`, subject: machine({ properties: { agentVersion } }), context: ALL_PUBLISHED,
          expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'], evidence: { advisories: advisories.join(', '), advisoryCount: advisories.length, fixedIn }, messageIncludes: [...advisories, `upgrade it to ${fixedIn}`],
        }),
  ...byDate.map(([at, advisories]): RuleCase => ({
    ruleId: 'ESU.Machine.AgentVulnerability', name: `agent 1.37 at ${at}: ${advisories?.join(', ') ?? 'no record published yet'}`, subject: machine({ properties: { agentVersion: '1.37.02300.1' } }), context: { now: new Date(at) },
    expect: advisories ? ['AgentVulnerability.Failed.Vulnerable'] : [], jobs: advisories ? ['upgrade-agent'] : [], evidence: advisories ? { advisories: advisories.join(', ') } : {},
  })),
  {
    ruleId: 'ESU.Machine.AgentVulnerability', name: 'the message names each record with its title and CWE', subject: machine({ properties: { agentVersion: '1.66' } }), context: ALL_PUBLISHED,
    expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'], messageIncludes: ['CVE-2026-96204: Azure Arc Elevation of Privilege Vulnerability, CWE-918, published 2026-10-13'],
    evidence: { advisoryUrls: ['https://msrc.microsoft.com/update-guide/vulnerability/CVE-2026-96204'] },
  },
  {
    ruleId: 'ESU.Machine.AgentVulnerability', name: 'a record bounded by versionEndIncluding (settings) counts up to and including that release',
    subject: machine({ properties: { agentVersion: '1.70.1' } }), context: { now: ALL_PUBLISHED.now, settings: { agentAdvisories: [{ id: 'CVE-2027-00001', title: 'Test record', published: '2026-12-01', cwe: 'CWE-20', cpe: 'cpe:2.3:a:microsoft:azure_connected_machine_agent:*:*:*:*:*:*:*:*', versionStartExcluding: '1.69', versionEndIncluding: '1.70.1', url: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2027-00001' }] } },
    expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'], evidence: { fixedIn: 'above 1.70.1' }, messageIncludes: ['upgrade it to a release above 1.70.1'],
  },
  {
    ruleId: 'ESU.Machine.AgentVulnerability', name: 'malformed: a record (settings) whose upper bound is not a version affects nothing',
    subject: machine({ properties: { agentVersion: '1.70.1' } }), context: { now: ALL_PUBLISHED.now, settings: { agentAdvisories: [{ id: 'CVE-2027-00002', title: 'Test record', published: '2026-12-01', cwe: 'CWE-20', cpe: 'cpe:2.3:a:microsoft:azure_connected_machine_agent:*:*:*:*:*:*:*:*', versionStartIncluding: '1.0.0', versionEndExcluding: 'next', url: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2027-00002' }] } },
    expect: ['AgentVulnerability.Passed'], evidence: { checked: 'CVE-2027-00002' },
  },
];
