import type { MachineSubject } from './context.js';
import type { EsuLicense } from '../domain/license.js';
import type { EveryField } from '../domain/everyField.js';
import { describeHost } from '../domain/hostProfile.js';
import { licenseLinkOf, type LicenseIndex } from '../domain/licenseLink.js';
import type { ArcMachine } from '../domain/machine.js';
import { classifyOperatingSystem, editionOf, type OsEdition, type OsFamily } from '../domain/operatingSystem.js';
import { DEFAULT_PROGRAMS, programIdOfFamily, programById, type EsuProgramId } from '../programs/program.js';
import { parseAgentVersion } from '../domain/versions.js';

/** Derives, once per machine, the facts every rule shares. */
export function toMachineSubject(machine: ArcMachine, licenses?: LicenseIndex): MachineSubject {
  const osFamily = classifyOperatingSystem(machine);
  const edition = editionOf(machine);
  const programId = programIdOfFamily(osFamily);
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
    esuUsage: machine.esuUsage,
    osFamily,
    edition,
    programId,
    inScope: isInEsuScope(programId, edition),
    host: describeHost(machine),
    link,
    linkedLicense,
    agentVersionParsed: parseAgentVersion(machine.agentVersion),
  };
  return subject;
}

/**
 * In scope: the machine's program is licensed through Azure Arc and covers its edition. An edition the
 * machine does not name is given the benefit of the doubt; Storage Server, Essentials and Foundation are out.
 */
export function isInEsuScope(programId: EsuProgramId | undefined, edition: OsEdition): boolean {
  const program = programById(DEFAULT_PROGRAMS, programId);
  if (!program?.arcLicensing) return false;
  return edition === 'Unknown' || program.editions.includes(edition);
}

/** In scope for the machine fields alone (tests and the benchmark oracle). */
export function machineInEsuScope(family: OsFamily, edition: OsEdition): boolean {
  return isInEsuScope(programIdOfFamily(family), edition);
}
