/** The plain facts builders need; rule subjects and parsed resources satisfy these shapes. */

export interface MachineRef {
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  /** The machine's region; looked up at run time when unknown. */
  readonly location?: string | undefined;
  /** `windows` / `linux` as Azure reports it; decides bash/package manager vs PowerShell/MSI. */
  readonly osType?: string | undefined;
  readonly osName?: string | undefined;
  /**
   * The software-assurance attestation of its license profile, when known. Writing the profile (link,
   * unlink) is a PUT, so a known attestation is sent again rather than left to the service.
   */
  readonly softwareAssuranceCustomer?: boolean | undefined;
}

export interface LicenseRef {
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly location?: string | undefined;
  readonly target?: string | undefined;
}

/** The machine's resource id. */
export function machineIdOf(machine: MachineRef): string {
  return `/subscriptions/${machine.subscriptionId}/resourceGroups/${machine.resourceGroup}/providers/Microsoft.HybridCompute/machines/${machine.name}`;
}

export function licenseIdOf(license: Pick<LicenseRef, 'name' | 'resourceGroup' | 'subscriptionId'>): string {
  return `/subscriptions/${license.subscriptionId}/resourceGroups/${license.resourceGroup}/providers/Microsoft.HybridCompute/licenses/${license.name}`;
}

export type OsKind = 'windows' | 'linux' | 'unknown';

/** Windows or Linux from `osType`, else from the OS name; unknown when neither says. */
export function osKindOf(machine: Pick<MachineRef, 'osType' | 'osName'>): OsKind {
  const type = machine.osType?.trim().toLowerCase();
  if (type === 'windows' || type === 'linux') return type;
  const name = machine.osName?.toLowerCase() ?? '';
  if (name.includes('windows')) return 'windows';
  return /ubuntu|debian|red ?hat|rhel|centos|oracle|amazon|rocky|alma|suse|sles|mariner|linux/.test(name) ? 'linux' : 'unknown';
}
