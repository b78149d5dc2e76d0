/** Inputs for the record builders with every optional field set, so each declared column is exercised. */
import type { Finding } from '../../shared/domain/findings.js';
import type { PlanOverview } from '../../shared/domain/licensePlan.js';
import type { RemediationMessage } from '../../shared/alerts/message.js';
import { findingSnapshotRecords, heartbeatRecord, licensePlanRecords, ruleCountRecords, transitionRecords, type TelemetryRows } from '../../shared/telemetry/records.js';

export const SCAN_ID = '2026-12-07T03:00:00.000Z-run';
export const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000AA';
const MACHINE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.HybridCompute/machines/web-01`;

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    scanId: SCAN_ID,
    ruleId: 'ESU.Machine.AgentVersion',
    ruleGroup: 'Machine',
    ruleTitle: 'Connected Machine agent version supports ESU delivery',
    result: 'Failed',
    severity: 'High',
    subscriptionId: SUBSCRIPTION,
    resourceId: MACHINE,
    resourceType: 'Microsoft.HybridCompute/machines',
    resourceName: 'web-01',
    resourceGroup: 'rg-web',
    message: 'web-01 runs agent 1.30, below the minimum 1.34.',
    messageId: 'AgentVersion.Failed.BelowMinimum',
    evidence: { agentVersion: '1.30', minimum: '1.34' },
    remediation: 'Upgrade the agent.',
    evaluatedAt: '2026-12-07T03:05:00.000Z',
    ...overrides,
  };
}

export const TRANSITION: RemediationMessage = {
  schemaVersion: '1',
  messageId: '0123456789abcdef0123456789abcdef',
  transition: 'changed',
  scanId: SCAN_ID,
  occurredAt: '2026-12-07T03:05:00.000Z',
  jobType: 'upgrade-agent',
  finding: {
    ruleId: 'ESU.Machine.AgentVersion',
    ruleTitle: 'Connected Machine agent version supports ESU delivery',
    result: 'Failed',
    previousResult: 'Error',
    severity: 'High',
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-web',
    resourceType: 'Microsoft.HybridCompute/machines',
    resourceId: MACHINE,
    resourceName: 'web-01',
    message: 'web-01 runs agent 1.30, below the minimum 1.34.',
    messageId: 'AgentVersion.Failed.BelowMinimum',
    evidence: { agentVersion: '1.30', minimum: '1.34' },
    openedAt: '2026-11-30T03:05:00.000Z',
  },
  job: { jobId: 'job-1', title: 'Upgrade the agent', commands: [], checkedWith: [] },
};

export const PLAN: PlanOverview = {
  scanId: SCAN_ID,
  asOf: '2026-12-07T03:30:00.000Z',
  programs: [{
    programId: 'WS2016', programName: 'Windows Server 2016', phase: 'upcoming', endOfSupport: '2027-01-12', billingStart: '2027-01-13', backBilledTo: '2027-01-13',
    machinesNeeding: 12, machinesOnExisting: 8, machinesOnProposed: 3, machinesUnplanned: 1, licensesToCreate: 1, coresToCreate: 24, licensesToShrink: 0, licensesToRemove: 0,
    coresToRemove: 0, coresBilledNow: 64, coresBilledAfter: 88,
  }],
  licenses: [{
    licenseId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-lic/providers/Microsoft.HybridCompute/licenses/ws2016-std`, name: 'ws2016-std', subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-lic', location: 'westeurope', programId: 'WS2016', target: 'Windows Server 2016', edition: 'Standard', coreType: 'vCore', state: 'Activated', proposed: false,
    action: 'shrink', processors: 64, processorsAfter: 48, coresUsed: 40, coresPlanned: 8, machinesLinked: 5, machinesPlanned: 1, plannedBySubscription: { [SUBSCRIPTION]: 1 },
    note: 'More cores than its machines need.',
  }],
  coreMonths: [{ programId: 'WS2016', edition: 'Standard', coreType: 'vCore', coresNow: 64, coresAfter: 48, coresBackBilled: 0, backBilledMonths: 0, price: 2.5 }],
  money: { currency: 'USD', monthlyNow: 160, monthlyAfter: 120, backBilling: 0, unpriced: [] },
  notes: [],
  complete: true,
  unplannedMachines: 1,
};

/** One of each row the code sends, every optional column filled. */
export function everyRow(): TelemetryRows {
  return {
    ruleCounts: ruleCountRecords({ scanId: SCAN_ID, subscriptionId: SUBSCRIPTION, finishedAt: '2026-12-07T03:06:00.000Z' }, [finding(), finding({ result: 'Passed' }), finding()]),
    alertTransitions: transitionRecords([TRANSITION]),
    ...licensePlanRecords(PLAN),
    heartbeat: [
      heartbeatRecord({ scanId: SCAN_ID, event: 'started', startedAt: '2026-12-07T03:00:00.000Z', subscriptionsRequested: 3 }),
      heartbeatRecord({
        scanId: SCAN_ID, event: 'finished', startedAt: '2026-12-07T03:00:00.000Z', finishedAt: '2026-12-07T03:31:00.000Z', subscriptionsRequested: 3, subscriptionsRead: 1,
        subscriptionsPartlyRead: 1, subscriptionsNotRead: 1, machines: 120, recordsNotSent: 4, detail: 'Custom-EsuFindings_CL part 0: HTTP 503',
      }),
    ],
    findings: findingSnapshotRecords([finding(), finding({ result: 'Passed', ruleId: 'ESU.Machine.Connected' })]),
  };
}
