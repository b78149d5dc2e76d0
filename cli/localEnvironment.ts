import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { PUBLIC_ARM_AUDIENCE } from '../shared/adapters/arm/armReader.js';
import { readSetting, type Environment } from '../shared/config/settings.js';
import { encodeKey } from '../shared/adapters/tables/tableKeys.js';
import { openTable } from '../shared/adapters/tables/tableClients.js';
import { RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { createDependencies, type Dependencies, type DependencyOverrides } from '../shared/runtime/dependencies.js';
import { CliError, EXIT_CODES } from './exitCodes.js';
import { localDataFolder } from './projectPaths.js';

export interface CliEnvironment {
  readonly deps: Dependencies;
  /** Where findings are stored and ARM is read, for the summary. */
  readonly description: string;
  close(): Promise<void>;
}

/** The stand-in accepts any bearer token; nothing secret is ever sent to it. */
const standInCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'local-estate', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/**
 * Chooses the CLI's backends: Azure when settings name a storage account, otherwise Azurite started
 * here (persisted in the project); an `--estate` folder is served by the ARM stand-in on loopback.
 */
export async function openCliEnvironment(env: Environment, estateDir?: string, pageSize?: number): Promise<CliEnvironment> {
  const cleanups: (() => Promise<void>)[] = [];
  const descriptions: string[] = [];
  const overrides: { -readonly [K in keyof DependencyOverrides]: DependencyOverrides[K] } = {};
  try {
    if (estateDir) {
      // Local tooling only (devDependencies): loaded when asked for, never in Azure.
      const { startArmStandIn } = await import('../local/armStandIn.js');
      const standIn = await startArmStandIn({ estateDir, pageSize });
      cleanups.push(() => standIn.close());
      Object.assign(overrides, { armCredential: standInCredential, armTrustedCa: standIn.ca, armTokenAudience: PUBLIC_ARM_AUDIENCE });
      env = { ...env, ESU_ARM_ENDPOINT: standIn.endpoint, ESU_SUBSCRIPTION_IDS: '' };
      descriptions.push(`ARM: estate ${estateDir} served at ${standIn.endpoint}`);
    } else {
      descriptions.push(`ARM: ${readSetting(env, 'armEndpoint')}`);
    }
    const location = localStorageFolder(env);
    if (location) {
      const { startAzurite } = await import('../local/azurite.js');
      mkdirSync(location, { recursive: true });
      const release = lockDataFolder(location);
      cleanups.push(async () => release());
      const azurite = await startAzurite({ service: 'table', location });
      cleanups.unshift(() => azurite.stop());
      overrides.storage = { kind: 'connectionString', connectionString: azurite.connectionString };
      descriptions.push(`storage: Azurite (data in ${location})`);
    } else {
      descriptions.push(`storage: ${readSetting(env, 'storageTableUri') ?? 'connection string from ESU_STORAGE'}`);
    }
    const created = await createDependencies(env, overrides);
    // Its own Azurite is this process's alone (the folder lock): a claim left by a killed run would only make it wait.
    const deps = location ? { ...created, claims: undefined } : created;
    cleanups.unshift(() => deps.close());
    descriptions.push(`jobs: ${deps.jobsDestination}`);
    let closing: Promise<void> | undefined;
    return { deps, description: descriptions.join('\n'), close: () => (closing ??= closeAll(cleanups)) };
  } catch (error) {
    await closeAll(cleanups);
    throw error;
  }
}

/** The folder of the Azurite this CLI starts itself (no storage setting), or undefined when storage is configured. */
export function localStorageFolder(env: Environment): string | undefined {
  if (readSetting(env, 'storageConnectionString') || readSetting(env, 'storageTableUri')) return undefined;
  return readSetting(env, 'localDataDir') ?? localDataFolder();
}

/**
 * Azurite keeps its tables in memory and saves them to the folder when stopped; a save that fails (a full
 * disk) it does not report. So the folder is opened again by a fresh Azurite, which must find the run's row.
 */
export async function verifySaved(location: string, scanId: string): Promise<void> {
  const { startAzurite } = await import('../local/azurite.js');
  const notSaved = (why: string): CliError => new CliError(`The results were not saved: ${why} (data folder ${location}; is the disk full?).`, EXIT_CODES.notSaved);
  const release = lockDataFolder(location);
  let azurite;
  try {
    azurite = await startAzurite({ service: 'table', location });
  } catch (error) {
    release();
    throw notSaved(`Azurite could not open the saved data: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
  }
  try {
    const runs = await openTable({ kind: 'connectionString', connectionString: azurite.connectionString }, RESOURCE_NAMES.scanRunsTable);
    const saved = await runs.getEntity('run', encodeKey(scanId)).then(() => true, () => false);
    if (!saved) throw notSaved(`run ${scanId} is not in the folder after Azurite saved it`);
  } finally {
    await azurite.stop();
    release();
  }
}

const LOCK_FILE = 'esu-scan.lock';

/**
 * One CLI at a time per data folder: two Azurites on the same files each keep their own copy in memory and
 * the last to save wins (the other run's findings and messages vanish). A lock left by a process that is gone
 * (killed) is taken over. Returns the release.
 */
function lockDataFolder(location: string): () => void {
  const file = join(location, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(file);
      if (holder !== undefined && isAlive(holder)) {
        throw new CliError(`Another esu-scan (process ${holder}) is using the data folder ${location}: wait for it to finish, or set ESU_LOCAL_DATA_DIR to another folder.`, EXIT_CODES.notFinished);
      }
      rmSync(file, { force: true }); // its holder is gone
    }
  }
  throw new CliError(`Could not lock the data folder ${location} (${file}).`, EXIT_CODES.notFinished);
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function closeAll(cleanups: readonly (() => Promise<void>)[]): Promise<void> {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}

/** Runs a command against the environment the settings choose, closing it (and Azurite) whatever happens. */
export async function withCliEnvironment<T>(env: Environment, run: (environment: CliEnvironment) => Promise<T>, estateDir?: string, pageSize?: number): Promise<T> {
  let environment: CliEnvironment | undefined;
  // SIGINT/SIGTERM stop the command and end the children it started (Azurite closes its files on SIGINT):
  // what was stored stays consistent, and the next scan decides the rest under the same message ids.
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`Stopping (${signal}): closing the local services…`);
    void (environment?.close() ?? Promise.resolve()).finally(() => process.exit(SIGNAL_EXIT_CODES[signal] ?? 1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    environment = await openCliEnvironment(env, estateDir, pageSize);
    return await run(environment);
  } finally {
    await environment?.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The shell's convention: 128 + the signal number. */
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };
