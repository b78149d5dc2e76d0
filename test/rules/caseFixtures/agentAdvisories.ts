/** Fixtures shared by the rule cases that came from the agentAdvisories group (one file per rule in ../cases). */

/**
 * ESU.Machine.AgentVulnerability against the six CVE records of the agent (sources/cve/connected-machine-agent.json):
 * an agent just below and at each record's bound, and every record just before and on its publication day.
 * The expected ids are written out by hand from the records, not computed.
 */
export const ALL_PUBLISHED = { now: new Date('2026-12-07T12:00:00Z') };
export const R2024_21329 = 'CVE-2024-21329';
export const R21224 = 'CVE-2026-21224';
export const R26117 = 'CVE-2026-26117';
export const R40381 = 'CVE-2026-40381';
export const R47632 = 'CVE-2026-47632';
export const R96204 = 'CVE-2026-96204';

export const byVersion: [agentVersion: string, advisories: string[], fixedIn?: string][] = [
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
export const byDate: [at: string, advisories: string[] | undefined][] = [
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
