import type { EvaluationContext, MachineSubject } from '../context.js';

/**
 * What an unlinked machine needs of a license, as Microsoft's license provisioning guidelines decide (which license
 * it goes on is the tenant license plan's, `shared/plan/`):
 * - a physical server needs max(16, physical cores) on a pCore license of its edition (Datacenter needs Datacenter);
 * - a VM needs max(8, its virtual processors) on a vCore license, and vCore licenses are always Standard, "even if
 *   the operating system is datacenter edition" (Important box); VMs on AWS, GCP or OCI use vCore;
 * - a VM may also be covered by a pCore license of its host (scenario 2: two Standard 16-pCore licenses cover four
 *   8-core VMs; Standard pCore covers up to two VMs per full licensing of the host, Datacenter any number,
 *   scenario 7). Arc does not report host cores, so that need comes after the vCore one and claims no visible cores.
 */
export type CoreType = 'pCore' | 'vCore';
export type ServerType = 'Datacenter' | 'Standard' | 'unknown';

export interface Need {
  readonly type: CoreType;
  /** Cores this machine claims on a license of that type (0: a VM on its host's pCore license). */
  readonly cores: number;
  /** Editions of license that may serve it. */
  readonly editions: readonly ('standard' | 'datacenter')[];
}

/** `esuProfile.serverType`, else the edition named in `osSku` / `osName`. */
export function serverTypeOf(machine: MachineSubject): { serverType: ServerType; serverTypeBasis: string } {
  const reported = machine.esu.serverType?.toLowerCase();
  if (reported === 'datacenter') return { serverType: 'Datacenter', serverTypeBasis: 'esuProfile.serverType' };
  if (reported === 'standard') return { serverType: 'Standard', serverTypeBasis: 'esuProfile.serverType' };
  if (machine.edition === 'Datacenter') return { serverType: 'Datacenter', serverTypeBasis: 'osSku/osName' };
  if (machine.edition === 'Standard') return { serverType: 'Standard', serverTypeBasis: 'osSku/osName' };
  return { serverType: 'unknown', serverTypeBasis: 'not reported' };
}

/** The needs in order of preference; the first one is what a new license is created for. */
export function needsOf(machine: MachineSubject, serverType: ServerType, context: EvaluationContext): Need[] {
  const { pCoreMinimum, vCoreMinimum } = context.settings;
  const cores = machine.host.cores;
  const pCoreEditions = serverType === 'Datacenter' ? (['datacenter'] as const) : (['standard', 'datacenter'] as const);
  const pCore: Need = { type: 'pCore', cores: Math.max(pCoreMinimum, cores ?? pCoreMinimum), editions: pCoreEditions };
  const vCore: Need = { type: 'vCore', cores: Math.max(vCoreMinimum, cores ?? vCoreMinimum), editions: ['standard'] };
  if (machine.host.type === 'Physical') return [pCore];
  if (machine.host.type === 'Virtual') return [vCore, { type: 'pCore', cores: 0, editions: pCoreEditions }];
  return [pCore, vCore];
}
