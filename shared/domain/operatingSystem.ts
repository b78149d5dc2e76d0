import type { ArcMachine } from './machine.js';

/** The Windows version a machine runs, by ESU program; the edition is `OsEdition`. */
export type OsFamily = 'WindowsServer2012' | 'WindowsServer2012R2' | 'WindowsServer2016' | 'LegacyWindows' | 'Other' | 'Unknown';
export type OsEdition = 'Standard' | 'Datacenter' | 'Essentials' | 'Foundation' | 'StorageServer' | 'Unknown';

type OsFields = Pick<ArcMachine, 'osName' | 'osVersion' | 'osSku' | 'osType'>;

/**
 * Recognises the Windows version from `osName`/`osSku`, falling back to `osVersion` (6.2.x = 2012,
 * 6.3.x = 2012 R2, 10.0.14393 = 2016) only for Windows machines that report no name, because the same
 * builds are also Windows 8, 8.1 and Windows 10 1607.
 */
export function classifyOperatingSystem(machine: OsFields): OsFamily {
  const name = `${machine.osName ?? ''} ${machine.osSku ?? ''}`.toLowerCase();
  if (name.includes('2012')) {
    if (/windows (storage )?server 2012 r2/.test(name)) return 'WindowsServer2012R2';
    if (/windows (storage )?server 2012/.test(name)) return 'WindowsServer2012';
  }
  if (/windows (storage )?server 2016/.test(name)) return 'WindowsServer2016';
  if (/windows server 2008|windows 7/.test(name)) return 'LegacyWindows';
  if (name.trim().length > 0 && !/^\s*(windows\s*)?$/.test(name)) return 'Other';
  const isWindows = (machine.osType ?? '').toLowerCase() === 'windows';
  const version = machine.osVersion ?? '';
  if (isWindows && /^6\.3\./.test(version)) return 'WindowsServer2012R2';
  if (isWindows && /^6\.2\./.test(version)) return 'WindowsServer2012';
  if (isWindows && /^10\.0\.14393(\.|$)/.test(version)) return 'WindowsServer2016';
  if (isWindows && /^6\.[01]\./.test(version)) return 'LegacyWindows';
  if (!machine.osType && !version) return 'Unknown';
  return 'Other';
}

/** The edition named in `osSku`, `osName` or `osEdition`; `Unknown` when none is named. */
export function editionOf(machine: Pick<ArcMachine, 'osName' | 'osSku' | 'osEdition'>): OsEdition {
  const text = `${machine.osSku ?? ''} ${machine.osName ?? ''} ${machine.osEdition ?? ''}`.toLowerCase();
  if (text.includes('storage server')) return 'StorageServer';
  if (text.includes('essentials')) return 'Essentials';
  if (text.includes('foundation')) return 'Foundation';
  if (text.includes('datacenter')) return 'Datacenter';
  if (text.includes('standard')) return 'Standard';
  return 'Unknown';
}
