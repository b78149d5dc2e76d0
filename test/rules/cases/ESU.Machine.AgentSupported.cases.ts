import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { LINUX, WS2019 } from '../caseFixtures/machineOperations.js';

/** Every case of ESU.Machine.AgentSupported: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  // ESU.Machine.AgentSupported: release months from the release notes (shared/programs/agentReleases.ts), supported
  // through the same month a year later; NOW is 2026-09-01, so releases of September 2025 (1.56) and later are supported.
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: 1.56 (September 2025) on 2026-09-01, its last supported month', subject: machine({ properties: { agentVersion: '1.56.03100.5' } }), expect: ['AgentSupported.Passed'], evidence: { releaseVersion: '1.56', releasedIn: 'September 2025', supportedThrough: 'September 2026', newestVersion: '1.67', newestSource: 'the agent release notes' } },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'warn: 1.55 (August 2025) on 2026-09-01, 13 months old', subject: machine({ properties: { agentVersion: '1.55.03000.100' } }), expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { releasedIn: 'August 2025', supportedThrough: 'August 2026', withinSupport: false }, messageIncludes: ['August 2025', 'newest known release 1.67 (the agent release notes)'] },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'warn: a 14-month-old agent (1.57, October 2025) on 2026-12-07', subject: machine({ properties: { agentVersion: '1.57.03050.1' } }), context: { now: new Date('2026-12-07T12:00:00Z') },
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { releasedIn: 'October 2025', supportedThrough: 'October 2026' }, messageIncludes: ['released within the last 12 months'],
  },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: 1.59 (December 2025) on 2026-12-07, twelve months', subject: machine({ properties: { agentVersion: '1.59' } }), context: { now: new Date('2026-12-07T12:00:00Z') }, expect: ['AgentSupported.Passed'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: 1.58 (November 2025) on the last day of November 2026', subject: machine({ properties: { agentVersion: '1.58' } }), context: { now: new Date('2026-11-30T23:59:59Z') }, expect: ['AgentSupported.Passed'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'warn: 1.58 (November 2025) from 1 December 2026', subject: machine({ properties: { agentVersion: '1.58' } }), context: { now: new Date('2026-12-01T00:00:00Z') }, expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: the newest release in the notes', subject: machine({ properties: { agentVersion: '1.67.03100.1' } }), expect: ['AgentSupported.Passed'], evidence: { releasedIn: 'August 2026', newestVersion: '1.67' } },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'pass: newer than every release in the notes (1.68)', subject: machine({ properties: { agentVersion: '1.68.03100.1220' } }),
    expect: ['AgentSupported.Passed'], evidence: { release: 'newer', releasedIn: null, newestListed: '1.67' }, messageIncludes: ['newer than every release in the agent release notes'],
  },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: newer major version', subject: machine({ properties: { agentVersion: '2.1' } }), expect: ['AgentSupported.Passed'], evidence: { release: 'newer' } },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'newest known from the estate: a machine of the scan reports 1.68, newer than the notes',
    subject: machine({ properties: { agentVersion: '1.45' } }), context: { newestReportedAgentVersion: () => '1.68.03100.1220' },
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { newestVersion: '1.68.03100.1220', newestSource: 'reported by a machine in this scan' }, messageIncludes: ['Upgrade it to the newest known release 1.68.03100.1220 (reported by a machine in this scan)'],
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'newest known from the data: the estate reports at most 1.61, older than the notes\' 1.67',
    subject: machine({ properties: { agentVersion: '1.45' } }), context: { newestReportedAgentVersion: () => '1.61.03319.859' },
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { newestVersion: '1.67', newestSource: 'the agent release notes' },
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'malformed: an unparsable reported version leaves the notes\' newest',
    subject: machine({ properties: { agentVersion: '1.60' } }), context: { newestReportedAgentVersion: () => 'latest' },
    expect: ['AgentSupported.Passed'], evidence: { newestVersion: '1.67', newestSource: 'the agent release notes' },
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'warn: default fixture 1.45 (August 2024)', subject: machine(),
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { releasedIn: 'August 2024', withinSupport: false },
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'malformed: an unusable support window in settings falls back to 12 months',
    subject: machine({ properties: { agentVersion: '1.55' } }), context: { settings: { ...DEFAULT_RULE_SETTINGS, agentSupportMonths: Number.NaN } },
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { supportMonths: 12 },
  },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: longer support window in settings (25 months)', subject: machine(), context: { settings: { ...DEFAULT_RULE_SETTINGS, agentSupportMonths: 25 } }, expect: ['AgentSupported.Passed'], evidence: { supportedThrough: 'September 2026' } },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'a build between two releases of the data counts from the nearest older one',
    subject: machine({ properties: { agentVersion: '1.65.1' } }), context: { settings: { ...DEFAULT_RULE_SETTINGS, agentReleases: [{ version: '1.70', released: '2026-10' }, { version: '1.60', released: '2025-08' }] } },
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { release: 'between', releaseVersion: '1.60', releasedIn: 'August 2025', newestVersion: '1.70' },
  },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'malformed: release data without a usable entry (settings) gives no result', subject: machine(), context: { settings: { ...DEFAULT_RULE_SETTINGS, agentReleases: [{ version: 'v1', released: 'soon' }] } }, expect: [] },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'warn: older than every release in the notes', subject: machine({ properties: { agentVersion: '0.99' } }),
    expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'], evidence: { release: 'older', releaseVersion: null }, messageIncludes: ['older than every release'],
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'warn: Azure Stack HCI below 1.39 (no free guest configuration), also unsupported',
    subject: machine({ kind: 'HCI', properties: { agentVersion: '1.38' } }),
    expect: ['AgentSupported.PassedWithWarning.HciGuestConfiguration'], jobs: ['upgrade-agent'], messageIncludes: ['1.39', 'no longer a supported release'],
  },
  {
    ruleId: 'ESU.Machine.AgentSupported', name: 'warn: Azure Local VM (parentClusterResourceId) below 1.39 within support (2024-06-01)',
    subject: machine({ properties: { agentVersion: '1.38', parentClusterResourceId: '/subscriptions/x/resourceGroups/hci/providers/Microsoft.AzureStackHCI/clusters/c1' } }),
    context: { now: new Date('2024-06-01T00:00:00Z') },
    expect: ['AgentSupported.PassedWithWarning.HciGuestConfiguration'], jobs: ['upgrade-agent'], evidence: { withinSupport: true, freeEnvironment: 'AzureStackHCI' },
  },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: Azure Stack HCI at 1.39 exactly (2024-06-01)', subject: machine({ kind: 'HCI', properties: { agentVersion: '1.39' } }), context: { now: new Date('2024-06-01T00:00:00Z') }, expect: ['AgentSupported.Passed'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'pass: 1.38 off HCI within support (2024-06-01)', subject: machine({ properties: { agentVersion: '1.38' } }), context: { now: new Date('2024-06-01T00:00:00Z') }, expect: ['AgentSupported.Passed'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'all machines: Windows Server 2019 with an old agent', subject: machine({ properties: { ...WS2019, agentVersion: '1.40' } }), expect: ['AgentSupported.PassedWithWarning.Unsupported'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'all machines: Linux with a current agent', subject: machine({ properties: { ...LINUX, agentVersion: '1.60' } }), expect: ['AgentSupported.Passed'] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'not applicable: missing agent version (AgentVersion warns)', subject: machine({ properties: { agentVersion: null } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'not applicable: empty agent version', subject: machine({ properties: { agentVersion: '' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'not applicable: malformed "v1.34"', subject: machine({ properties: { agentVersion: 'v1.34' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentSupported', name: 'not applicable: numeric agent version', subject: machine({ properties: { agentVersion: 1.45 } }), expect: [] },
];
