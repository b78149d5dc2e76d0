import type { ExportData, ExportFinding, MachineRow } from '../../cli/export/exportData.js';

/** Machine names that would run script if the report let ARM text become markup. */
export const HOSTILE_NAMES = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '"><svg onload="window.__pwned=1">'];

/** A small report whose every ARM text is hostile: three machines, one plan-less estate. */
export function hostileData(): ExportData {
  const finding = (name: string, index: number): ExportFinding => ({
    scanId: 'scan-1', ruleId: index === 0 ? 'ESU.Machine.Connected' : 'ESU.Machine.AgentVersion', ruleGroup: 'Machine', ruleTitle: `<b>title ${index}</b>`, result: index === 2 ? 'PassedWithWarning' : 'Failed', severity: 'High',
    subscriptionId: 'sub-1', resourceId: `/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/${name}`,
    resourceType: 'Microsoft.HybridCompute/machines', resourceName: name, resourceGroup: `rg-${name}`, message: `Machine ${name} is down`, messageId: 'X.Failed',
    evidence: {}, remediation: '', evaluatedAt: '2026-12-01T10:00:00.000Z',
  });
  const machine = (name: string, index: number): MachineRow => ({ subscriptionId: 'sub-1', resourceGroup: 'rg', name, resourceId: `/m/${index}`, agentVersion: index === 0 ? '1.30' : name, ...(index === 0 ? { advisories: 'CVE-2024-21329, <i>CVE</i>' } : {}), openFindings: 1 });
  return {
    scanId: '<scan>', startedAt: new Date('2026-12-01T10:00:00Z'), evaluatedAsOf: new Date('2026-12-01T10:00:00Z'), source: 'scan',
    programs: [{ id: 'WS2016', name: '<Windows>', phase: 'upcoming', endOfSupport: '2027-01-12', esuEnd: '2030-01-08', daysToEndOfSupport: 42, machines: 3, counts: { Passed: 1, PassedWithWarning: 1, Failed: 2, Error: 0 } }],
    subscriptionsRequested: 2, subscriptionsScanned: 1, reads: [{ subscriptionId: 'sub-2', status: 'could not read', reasons: ['<script>window.__pwned=2</script>'] }],
    findings: HOSTILE_NAMES.map(finding), jobs: [], machines: HOSTILE_NAMES.map(machine),
  };
}
