import type { HostType } from './hostProfile.js';

/** The ESU programs' ids (their calendars are in `shared/programs/catalogue.ts`). */
export type EsuProgramId = 'WS2008' | 'WS2012' | 'WS2016';

/**
 * What an in-scope, eligible machine with no license needs, as its subscription scan saw it. Kept small:
 * the tenant phase holds one per unlinked machine of the whole tenant.
 */
export interface MachineNeed {
  readonly machineId: string;
  readonly machineName: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location?: string;
  readonly programId: EsuProgramId;
  /** The license target of its OS (`Windows Server 2016`). */
  readonly target: string;
  readonly hostType: HostType;
  /** Datacenter servers need Datacenter pCore licenses; `unknown` is planned as Standard. */
  readonly serverType: 'Datacenter' | 'Standard' | 'unknown';
  /** Physical cores of a server, vCPUs of a VM; undefined when Arc reports none. */
  readonly cores?: number;
  /** The machine's `ESU Usage` tag (dev/test and disaster-recovery exceptions), upper-cased. */
  readonly esuUsage?: string;
}

