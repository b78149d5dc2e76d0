import type { MachineSubject } from '../rules/context.js';
import type { EsuLicense } from './license.js';
import { describeHost } from './hostProfile.js';
import { licenseLinkOf, type LicenseIndex } from './licenseLink.js';
import type { ArcMachine } from './machine.js';
import { classifyOperatingSystem } from './operatingSystem.js';
import { parseAgentVersion } from './versions.js';

/** Derives, once per machine, the facts every rule shares. */
export function toMachineSubject(machine: ArcMachine, licenses?: LicenseIndex): MachineSubject {
  const osFamily = classifyOperatingSystem(machine);
  const link = licenseLinkOf(machine);
  const linkedLicense: EsuLicense | undefined = link.assigned ? licenses?.find(link) : undefined;
  return {
    ...machine,
    osFamily,
    inScope: osFamily === 'WindowsServer2012' || osFamily === 'WindowsServer2012R2',
    host: describeHost(machine),
    link,
    linkedLicense,
    agentVersionParsed: parseAgentVersion(machine.agentVersion),
  };
}
