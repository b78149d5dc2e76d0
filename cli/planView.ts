import type { PlanLicenseRow, PlanOverview } from '../shared/domain/licensePlan.js';
import { formatDay } from '../shared/programs/program.js';
import type { Column } from './format.js';

const number = (value: number): string => value.toLocaleString('en-US');

/** One line per program: machines covered, licenses to create and remove, cores billed per month before and after. */
export function planLines(plan: PlanOverview): string[] {
  const lines: string[] = [];
  for (const program of plan.programs) {
    const parts: string[] = [];
    if (program.machinesNeeding > 0) {
      const placed = [
        ...(program.machinesOnExisting > 0 ? [`${program.machinesOnExisting} onto existing licenses`] : []),
        ...(program.machinesOnProposed > 0 ? [`${program.machinesOnProposed} onto ${program.licensesToCreate} new license(s) of ${number(program.coresToCreate)} cores`] : []),
        ...(program.machinesUnplanned > 0 ? [`${program.machinesUnplanned} need a core count or host type first`] : []),
      ];
      parts.push(`${program.machinesNeeding} unlinked machine(s): ${placed.join(', ')}`);
    }
    const fewer = [
      ...(program.licensesToRemove > 0 ? [`remove ${program.licensesToRemove}`] : []),
      ...(program.licensesToShrink > 0 ? [`shrink ${program.licensesToShrink}`] : []),
    ];
    if (fewer.length > 0) parts.push(`${fewer.join(' and ')} license(s) (${number(program.coresToRemove)} cores fewer${program.phase === 'ended' ? ', ESU has ended' : ''})`);
    if (parts.length === 0 && program.coresBilledNow === 0) continue;
    parts.push(`cores billed per month ${number(program.coresBilledNow)} → ${number(program.coresBilledAfter)}`);
    lines.push(`  ${program.programId.padEnd(7)}${parts.join('; ')}`);
  }
  for (const line of plan.coreMonths.filter((item) => item.coresBackBilled > 0)) {
    const program = plan.programs.find((candidate) => candidate.programId === line.programId);
    const to = program?.backBilledTo ? formatDay(program.backBilledTo) : 'end of support';
    const months = line.backBilledMonths > 0 ? `${line.backBilledMonths} whole month(s) before this one, once` : 'within this month\'s bill';
    lines.push(`  ${line.programId.padEnd(7)}${number(line.coresBackBilled)} new ${line.edition} ${line.coreType} cores are back-billed to ${to} (${months})`);
  }
  lines.push(plan.money
    ? `  Money per month (${plan.money.currency}): ${number(plan.money.monthlyNow)} → ${number(plan.money.monthlyAfter)}; back-billing once ${number(plan.money.backBilling)}${plan.money.unpriced.length > 0 ? `; no price set for ${plan.money.unpriced.join(', ')}` : ''}`
    : '  Prices are not configured (ESU_PRICES): the plan counts cores and core-months only.');
  if (!plan.complete || plan.notes.length > 0) lines.push(`  ${plan.complete ? '' : 'The plan is partial. '}${plan.notes.length} note(s): esu-scan plan --format json`);
  return lines;
}

/** The plan's license rows, as `esu-scan plan` prints them. */
export const PLAN_COLUMNS: readonly Column<PlanLicenseRow>[] = [
  { header: 'action', value: (row) => row.action },
  { header: 'license', value: (row) => row.name, width: 44 },
  { header: 'program', value: (row) => row.programId ?? '' },
  { header: 'edition', value: (row) => row.edition ?? '' },
  { header: 'type', value: (row) => row.coreType ?? '' },
  { header: 'cores', value: (row) => row.processors },
  { header: 'after', value: (row) => row.processorsAfter },
  { header: 'used', value: (row) => row.coresUsed },
  { header: 'planned', value: (row) => row.coresPlanned },
  { header: 'linked', value: (row) => row.machinesLinked },
  { header: 'toLink', value: (row) => row.machinesPlanned },
  { header: 'subscriptionId', value: (row) => row.subscriptionId, width: 36 },
  { header: 'resourceGroup', value: (row) => row.resourceGroup, width: 24 },
  { header: 'note', value: (row) => row.note ?? '', width: 60 },
];

/** Rows of one subscription: its own licenses, and licenses that serve its machines. */
export function rowsOfSubscription(rows: readonly PlanLicenseRow[], subscriptionId: string | undefined): PlanLicenseRow[] {
  if (!subscriptionId) return [...rows];
  const wanted = subscriptionId.toLowerCase();
  return rows.filter((row) => row.subscriptionId.toLowerCase() === wanted || (row.plannedBySubscription[wanted] ?? 0) > 0);
}
