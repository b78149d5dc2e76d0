import type { EsuLicense } from '../../domain/license.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { coreTypeNotYetChosen } from '../license/licenseFacts.js';
import { sameTarget } from '../../programs/program.js';

/**
 * Which existing license fits an unlinked machine, as Microsoft's license provisioning guidelines decide:
 * - a physical server needs max(16, physical cores) on a pCore license of its edition (Datacenter needs Datacenter);
 * - a VM needs max(8, its virtual processors) on a vCore license, and vCore licenses are always Standard, "even if
 *   the operating system is datacenter edition" (Important box); VMs on AWS, GCP or OCI use vCore;
 * - a VM may also be covered by a pCore license of its host (scenario 2: two Standard 16-pCore licenses cover four
 *   8-core VMs; Standard pCore covers up to two VMs per full licensing of the host, Datacenter any number,
 *   scenario 7). Arc does not report host cores, so such a fit is offered after every vCore fit, with the
 *   assumption in the evidence, and claims no visible cores.
 */
export type CoreType = 'pCore' | 'vCore';
export type ServerType = 'Datacenter' | 'Standard' | 'unknown';

export interface Need {
  readonly type: CoreType;
  /** Cores this machine claims on a license of that type (0: a VM on its host's pCore license). */
  readonly cores: number;
  /** Editions of license that may serve it. */
  readonly editions: readonly ('standard' | 'datacenter')[];
  /** Set when the fit rests on something Arc cannot see. */
  readonly assumption?: string;
}

export interface Candidate {
  readonly license: EsuLicense;
  readonly need: Need;
  readonly spare: number;
  readonly leftover: number;
}

export const HOST_CORES_ASSUMPTION =
  "assumes the license covers this VM's host (Standard pCore: up to two VMs per fully licensed host; Datacenter pCore: any number); Arc does not report host cores";

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
  if (machine.host.type === 'Virtual') return [vCore, { type: 'pCore', cores: 0, editions: pCoreEditions, assumption: HOST_CORES_ASSUMPTION }];
  return [pCore, vCore];
}

/** Every way `license` can take the machine, given what is still spare on it. */
export function fitsOf(license: EsuLicense, needs: readonly Need[], target: string, context: EvaluationContext): Candidate[] {
  if (license.licenseType !== undefined && license.licenseType.toUpperCase() !== 'ESU') return [];
  if (license.state?.toLowerCase() !== 'activated') return [];
  if (license.target !== undefined && !sameTarget(license.target, target)) return [];
  const edition = license.edition?.toLowerCase();
  if (edition !== 'standard' && edition !== 'datacenter') return [];
  // A Windows Server 2016 license may leave its core type open: it is chosen when ESU is enabled on the machine
  // ("you select the core type (physical or virtual) later", Deliver ESU), so it can serve the preferred need.
  const type = license.type !== undefined && license.type.trim() !== '' ? license.type.toLowerCase() : coreTypeNotYetChosen(license, context.settings.programs) ? undefined : 'none';
  const need = needs.find((candidate) => (type === undefined || candidate.type.toLowerCase() === type) && candidate.editions.includes(edition));
  if (!need) return [];
  const spare = context.spareCores ? context.spareCores(license) : license.processors;
  // A host-covering pCore license must itself be a whole license (at least the pCore minimum).
  const required = need.cores > 0 ? need.cores : context.settings.pCoreMinimum;
  if (spare === undefined || !Number.isFinite(spare) || spare < required) return [];
  return [{ license, need, spare, leftover: spare - need.cores }];
}

/** Best fit first: the preferred core type, then the least left over. */
export function rankCandidates(candidates: Candidate[], needs: readonly Need[], limit: number): Candidate[] {
  return candidates
    .sort((a, b) => needs.indexOf(a.need) - needs.indexOf(b.need) || a.leftover - b.leftover || a.license.name.localeCompare(b.license.name))
    .slice(0, limit);
}
