import type { MachineSubject } from '../rules/context.js';
import type { EsuLicense } from './license.js';
import type { EveryField } from './everyField.js';
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
  const subject: EveryField<MachineSubject> = {
    id: machine.id,
    name: machine.name,
    subscriptionId: machine.subscriptionId,
    resourceGroup: machine.resourceGroup,
    location: machine.location,
    kind: machine.kind,
    status: machine.status,
    lastStatusChange: machine.lastStatusChange,
    errorDetails: machine.errorDetails,
    agentVersion: machine.agentVersion,
    osName: machine.osName,
    osVersion: machine.osVersion,
    osSku: machine.osSku,
    osEdition: machine.osEdition,
    osType: machine.osType,
    parentClusterResourceId: machine.parentClusterResourceId,
    cloudProvider: machine.cloudProvider,
    mssqlDiscovered: machine.mssqlDiscovered,
    detectedProperties: machine.detectedProperties,
    hardware: machine.hardware,
    assessmentMode: machine.assessmentMode,
    esu: machine.esu,
    osFamily,
    inScope: osFamily === 'WindowsServer2012' || osFamily === 'WindowsServer2012R2',
    host: describeHost(machine),
    link,
    linkedLicense,
    agentVersionParsed: parseAgentVersion(machine.agentVersion),
  };
  return subject;
}
