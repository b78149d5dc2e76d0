import type { ArcMachine } from './machine.js';

export type OsFamily = 'WindowsServer2012' | 'WindowsServer2012R2' | 'WindowsStorageServer2012' | 'LegacyWindows' | 'Other' | 'Unknown';

/**
 * Recognises the ESU program a machine belongs to from `osName`, falling back to `osVersion`
 * (6.2.x = 2012, 6.3.x = 2012 R2) only for Windows servers, because 6.2/6.3 are also Windows 8/8.1.
 */
export function classifyOperatingSystem(machine: Pick<ArcMachine, 'osName' | 'osVersion' | 'osSku' | 'osType'>): OsFamily {
  return classify(machine);
}

function classify(machine: Pick<ArcMachine, 'osName' | 'osVersion' | 'osSku' | 'osType'>): OsFamily {
  const name = `${machine.osName ?? ''} ${machine.osSku ?? ''}`.toLowerCase();
  if (name.includes('2012')) {
    if (name.includes('storage server')) return 'WindowsStorageServer2012';
    if (name.includes('windows server 2012 r2')) return 'WindowsServer2012R2';
    if (name.includes('windows server 2012')) return 'WindowsServer2012';
  }
  if (/windows server 2008|windows 7/.test(name)) return 'LegacyWindows';
  if (name.trim().length > 0 && !/^\s*(windows\s*)?$/.test(name)) return 'Other';
  const isWindows = (machine.osType ?? '').toLowerCase() === 'windows';
  const version = machine.osVersion ?? '';
  if (isWindows && /^6\.3\./.test(version)) return 'WindowsServer2012R2';
  if (isWindows && /^6\.2\./.test(version)) return 'WindowsServer2012';
  if (isWindows && /^6\.[01]\./.test(version)) return 'LegacyWindows';
  if (!machine.osType && !version) return 'Unknown';
  return 'Other';
}

/** In scope for Windows Server 2012 ESU through Arc (the Storage edition is excluded). */
export function isInEsuScope(machine: Pick<ArcMachine, 'osName' | 'osVersion' | 'osSku' | 'osType'>): boolean {
  const family = classifyOperatingSystem(machine);
  return family === 'WindowsServer2012' || family === 'WindowsServer2012R2';
}
