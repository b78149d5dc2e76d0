import type { ArcMachine } from './machine.js';
import type { EsuLicense } from './license.js';

/** How a machine names its ESU license: by immutable id (list payloads) or by resource id (license profile). */
export interface LicenseLink {
  readonly assigned: boolean;
  readonly immutableId?: string;
  readonly licenseId?: string;
}

export function licenseLinkOf(machine: ArcMachine): LicenseLink {
  const immutableId = machine.esu.assignedLicenseImmutableId?.toLowerCase();
  const licenseId = machine.esu.assignedLicenseId?.toLowerCase();
  const assigned = machine.esu.licenseAssignmentState?.toLowerCase() === 'assigned' || immutableId !== undefined || licenseId !== undefined;
  return { assigned, immutableId, licenseId };
}

/** Keys a license answers to; a machine's link matches one of them. */
export function licenseKeys(license: EsuLicense): string[] {
  return [license.immutableId && `imm:${license.immutableId.toLowerCase()}`, `id:${license.id.toLowerCase()}`].filter((k): k is string => Boolean(k));
}

export function linkKeys(link: LicenseLink): string[] {
  return [link.immutableId && `imm:${link.immutableId}`, link.licenseId && `id:${link.licenseId}`].filter((k): k is string => Boolean(k));
}

/** Licenses by every key they answer to. */
export class LicenseIndex {
  private readonly byKey = new Map<string, EsuLicense>();

  constructor(licenses: Iterable<EsuLicense> = []) {
    for (const license of licenses) this.add(license);
  }

  add(license: EsuLicense): void {
    for (const key of licenseKeys(license)) this.byKey.set(key, license);
  }

  find(link: LicenseLink): EsuLicense | undefined {
    for (const key of linkKeys(link)) {
      const license = this.byKey.get(key);
      if (license) return license;
    }
    return undefined;
  }

  all(): EsuLicense[] {
    return [...new Set(this.byKey.values())];
  }
}
