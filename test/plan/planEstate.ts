import { parseLicense, type EsuLicense } from '../../shared/domain/license.js';
import { DEFAULT_RULE_SETTINGS } from '../../shared/rules/context.js';
import { LicenseLedger } from '../../shared/plan/licenseLedger.js';
import type { MachineNeed } from '../../shared/domain/licenseNeed.js';
import type { PlanSettings } from '../../shared/plan/licensePlan.js';
import type { HostType } from '../../shared/domain/hostProfile.js';

/** Estates for plan tests: licenses as ARM lists them (parsed by the production parser), machines as scans see them. */
export const SUB_A = '0a000000-0000-4000-8000-00000000000a';
export const SUB_B = '0b000000-0000-4000-8000-00000000000b';

export const PLAN_SETTINGS: PlanSettings = DEFAULT_RULE_SETTINGS;
export const BEFORE_EOS = new Date('2026-12-07T00:00:00Z');
export const AFTER_EOS = new Date('2027-01-13T00:00:00Z');

export interface LicenseSpec {
  readonly name: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly target?: string;
  readonly edition?: string;
  readonly type?: string | null;
  readonly processors?: unknown;
  readonly state?: string;
  readonly esuUsage?: string;
  readonly details?: false;
}

export function esuLicense(spec: LicenseSpec): EsuLicense {
  const subscriptionId = spec.subscriptionId ?? SUB_A;
  const resourceGroup = spec.resourceGroup ?? 'rg-esu';
  const details = {
    state: spec.state ?? 'Activated',
    target: spec.target ?? 'Windows Server 2016',
    edition: spec.edition ?? 'Standard',
    ...(spec.type === null ? {} : { type: spec.type ?? 'vCore' }),
    ...('processors' in spec ? { processors: spec.processors } : { processors: 16 }),
    immutableId: `imm-${spec.name}-${resourceGroup}`,
  };
  const parsed = parseLicense({
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.HybridCompute/licenses/${spec.name}`,
    name: spec.name,
    type: 'Microsoft.HybridCompute/licenses',
    location: 'westeurope',
    ...(spec.esuUsage ? { tags: { 'ESU Usage': spec.esuUsage } } : {}),
    properties: { licenseType: 'ESU', ...(spec.details === false ? {} : { licenseDetails: details }) },
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

export interface MachineSpec {
  readonly name: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly host?: HostType;
  readonly cores?: number;
  readonly serverType?: MachineNeed['serverType'];
  readonly program?: MachineNeed['programId'];
  readonly esuUsage?: string;
  readonly location?: string;
}

export function machineId(spec: Pick<MachineSpec, 'name' | 'subscriptionId' | 'resourceGroup'>): string {
  return `/subscriptions/${spec.subscriptionId ?? SUB_A}/resourceGroups/${spec.resourceGroup ?? 'rg-servers'}/providers/Microsoft.HybridCompute/machines/${spec.name}`;
}

export function need(spec: MachineSpec): MachineNeed {
  const program = spec.program ?? 'WS2016';
  return {
    machineId: machineId(spec),
    machineName: spec.name,
    subscriptionId: spec.subscriptionId ?? SUB_A,
    resourceGroup: spec.resourceGroup ?? 'rg-servers',
    location: spec.location ?? 'westeurope',
    programId: program,
    target: program === 'WS2016' ? 'Windows Server 2016' : 'Windows Server 2012 R2',
    hostType: spec.host ?? 'Virtual',
    serverType: spec.serverType ?? 'Standard',
    ...(spec.cores !== undefined ? { cores: spec.cores } : {}),
    ...(spec.esuUsage ? { esuUsage: spec.esuUsage } : {}),
  };
}

/** A tenant's ledger: licenses, and machines already linked to them (`linked`: machine spec + license). */
export function ledgerOf(licenses: readonly EsuLicense[], linked: readonly { machine: MachineSpec; license: EsuLicense }[] = []): LicenseLedger {
  const ledger = new LicenseLedger();
  for (const license of licenses) ledger.registerLicense(license);
  for (const { machine, license } of linked) {
    ledger.addLink({ assigned: true, licenseId: license.id.toLowerCase() }, {
      machineId: machineId(machine), machineName: machine.name, subscriptionId: machine.subscriptionId ?? SUB_A,
      hostType: machine.host ?? 'Virtual', ...(machine.cores !== undefined ? { cores: machine.cores } : {}), inScope: true,
      ...(machine.esuUsage ? { esuUsage: machine.esuUsage } : {}),
    });
  }
  return ledger;
}
