import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { machine, parsedLicense, type RuleCase } from '../../support/ruleHarness.js';

/** NOW in the harness is 2026-09-01T00:00:00Z (WS2012 ESU active, WS2016 upcoming). */
const WS2019 = { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' };
const LINUX = { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04' };
const ENROLLED = { licenseAssignmentState: 'Assigned' };
const legacy = (osName: string | null, extra: Record<string, unknown> = {}) => ({ osName, osSku: null, osVersion: '6.1.7601', ...extra });
const VM_DETECTED = { manufacturer: 'VMware, Inc.', model: 'VMware Virtual Platform', logicalCoreCount: '4', coreCount: '2' };

/** Connectivity, agent support, eligibility, core data, patch visibility and legacy operating systems. */
export const MACHINE_OPERATIONS_CASES: readonly RuleCase[] = [
  // ESU.Machine.Connected
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

  // ESU.Machine.Eligibility
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

  // ESU.Machine.CoreCount
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: physical server, cores from hardwareProfile', subject: machine(),
    expect: ['CoreCount.Passed'], evidence: { hostType: 'Physical', cores: 16, coreBasis: 'hardwareProfile.processors', licenseType: 'pCore', coresToLicense: 16 },
    messageIncludes: ['Physical server', 'detectedProperties.model=PowerEdge R730'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: small physical server counts the 16-core minimum',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge T130', coreCount: '4' } } }),
    expect: ['CoreCount.Passed'], evidence: { cores: 4, coreBasis: 'detectedProperties.coreCount', coresToLicense: 16 },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: VM with vCPUs from logicalCoreCount',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: VM_DETECTED } }),
    expect: ['CoreCount.Passed'], evidence: { hostType: 'Virtual', cores: 4, coreBasis: 'detectedProperties.logicalCoreCount', licenseType: 'vCore', coresToLicense: 8 },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'warn: physical server without a core count',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'], evidence: { cores: null, coreBasis: null },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'malformed: non-numeric and zero core counts',
    subject: machine({ properties: { hardwareProfile: { processors: [{ numberOfCores: 'eight' }] }, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730', coreCount: '0' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'malformed: negative VM core counts',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { ...VM_DETECTED, logicalCoreCount: '-4', coreCount: 'two' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'], messageIncludes: ['a virtual machine'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'warn: unknown host type with known cores',
    subject: machine({ properties: { detectedProperties: {} } }),
    expect: ['CoreCount.PassedWithWarning.UnknownHostType'], evidence: { hostType: 'Unknown', cores: 16 }, messageIncludes: ['reports 16 cores'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'missing: nothing about the hardware',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: null } }),
    expect: ['CoreCount.PassedWithWarning.UnknownHostType'], evidence: { cores: null }, messageIncludes: ['no usable core count'],
  },
  { ruleId: 'ESU.Machine.CoreCount', name: 'out of scope: Windows Server 2019 without data', subject: machine({ properties: { ...WS2019, hardwareProfile: null, detectedProperties: null } }), expect: [] },

  // ESU.Machine.PatchAssessment
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

  // ESU.Machine.LegacyOs
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
];
