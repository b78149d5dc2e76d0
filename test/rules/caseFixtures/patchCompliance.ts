/** Fixtures shared by the rule cases that came from the patchCompliance group (one file per rule in ../cases). */
import { PatchEvidenceIndex, parseAssessmentRow, parseEsuGuestAssignment } from '../../../shared/domain/patchEvidence.js';
import { parsePolicyAssignment, type PolicyAssignment } from '../../../shared/domain/policyAssignment.js';
import { ESU_POLICY_DEFINITIONS } from '../../../shared/programs/catalogue.js';
import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { machine } from '../../support/ruleHarness.js';

/**
 * Patch compliance from the two sources (guest configuration, Update Manager through Resource Graph), built
 * from raw rows by the scanner's own parsers. NOW is 2026-09-01 (WS2012 ESU active); the default machine is an
 * enrolled Windows Server 2012 R2 server with periodic assessment on.
 */
const MACHINE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-servers/providers/Microsoft.HybridCompute/machines/srv-2012r2-01`;
export const ENROLLED = { licenseAssignmentState: 'Assigned' };
export const enrolled = machine({ esuProfile: ENROLLED });
export const WS2016 = { osName: 'Windows Server 2016 Datacenter', osSku: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', agentVersion: '1.68.03100.1234' };

interface Sources {
  readonly assignments?: readonly unknown[];
  readonly rows?: readonly unknown[];
  readonly guestConfigurationRead?: boolean;
  readonly updateManagerRead?: boolean;
  /** Raw policy assignments of the subscription (the scan passes the ESU patch policy's ones). */
  readonly policyAssignments?: readonly unknown[];
}

export function evidence(sources: Sources) {
  const policies = sources.policyAssignments?.flatMap((raw): PolicyAssignment[] => { const parsed = parsePolicyAssignment(raw); return parsed.ok ? [parsed.value] : []; });
  const index = new PatchEvidenceIndex(sources.guestConfigurationRead ?? true, sources.updateManagerRead ?? true, policies);
  for (const raw of sources.assignments ?? []) {
    const parsed = parseEsuGuestAssignment(raw, ESU_POLICY_DEFINITIONS.esuPatchesGuestConfiguration);
    if (parsed.ok && parsed.value) index.addAssignment(parsed.value.machineId, parsed.value.assignment);
  }
  for (const raw of sources.rows ?? []) {
    const parsed = parseAssessmentRow(raw);
    if (parsed.ok) index.addRow(parsed.value);
  }
  return { patchEvidence: index };
}

export const assignment = (complianceStatus: string, extra: Record<string, unknown> = {}, configuration = 'PendingESUUpdates') => ({
  id: `${MACHINE_ID}/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments/${configuration}$pid3u5ckx7qsq4gi`,
  name: `${configuration}$pid3u5ckx7qsq4gi`,
  properties: {
    complianceStatus, lastComplianceStatusChecked: '2026-08-31T21:40:12Z',
    guestConfiguration: { name: configuration, version: '1.0.0' },
    latestAssignmentReport: { resources: [{ reasons: [{ code: 'x', phrase: 'KB5063950 is missing' }] }] },
    ...extra,
  },
});

export const summary = (properties: Record<string, unknown> = {}) => ({
  id: `${MACHINE_ID}/patchAssessmentResults/latest`,
  type: 'microsoft.hybridcompute/machines/patchassessmentresults',
  properties: { status: 'Succeeded', lastModifiedDateTime: '2026-08-31T03:00:00Z', availablePatchCountByClassification: { security: 0, critical: 0, other: 1 }, ...properties },
});
export const patch = (kbId: string, classifications = ['Security']) => ({
  id: `${MACHINE_ID}/patchAssessmentResults/latest/softwarePatches/${kbId}`,
  type: 'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches',
  properties: { patchName: `Update KB${kbId}`, kbId, classifications, publishedDateTime: '2026-08-12T17:00:00Z' },
});
export const pending = (security: number, critical = 0) => summary({ availablePatchCountByClassification: { security, critical, other: 0 } });
/** A summary row as a failed or unfinished assessment may report it: no availablePatchCountByClassification. */
export const withoutCounts = (properties: Record<string, unknown>) => {
  const row = summary(properties);
  const rest: Record<string, unknown> = { ...row.properties };
  delete rest['availablePatchCountByClassification'];
  return { ...row, properties: rest };
};
const ESU_PATCH_POLICY = ESU_POLICY_DEFINITIONS.esuPatchesInstalled;
export const policyAssignment = (properties: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/policyAssignments/esu-patches-audit`,
  name: 'esu-patches-audit', type: 'Microsoft.Authorization/policyAssignments',
  properties: { displayName: 'ESU patches (audit)', policyDefinitionId: ESU_PATCH_POLICY, scope: `/subscriptions/${SUBSCRIPTION_ID}`, enforcementMode: 'Default', ...properties },
});
export const AT_WS2016 = new Date('2026-12-01T00:00:00Z');
export const ws2016Enrolled = machine({ properties: WS2016, esuProfile: ENROLLED });
export const ws2016Summary = (properties: Record<string, unknown> = {}) => summary({ lastModifiedDateTime: '2026-11-30T00:00:00Z', ...properties });
