import { mkdirSync } from 'node:fs';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { PUBLIC_ARM_AUDIENCE } from '../shared/adapters/arm/armReader.js';
import { readSetting, type Environment } from '../shared/config/settings.js';
import { createDependencies, type Dependencies, type DependencyOverrides } from '../shared/runtime/dependencies.js';
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
    if (!readSetting(env, 'storageConnectionString') && !readSetting(env, 'storageTableUri')) {
      const { startAzurite } = await import('../local/azurite.js');
      const location = readSetting(env, 'localDataDir') ?? localDataFolder();
      mkdirSync(location, { recursive: true });
      const azurite = await startAzurite({ service: 'table', location });
      cleanups.push(() => azurite.stop());
      overrides.storage = { kind: 'connectionString', connectionString: azurite.connectionString };
      descriptions.push(`storage: Azurite (data in ${location})`);
    } else {
      descriptions.push(`storage: ${readSetting(env, 'storageTableUri') ?? 'connection string from ESU_STORAGE'}`);
    }
    const deps = await createDependencies(env, overrides);
    cleanups.unshift(() => deps.close());
    descriptions.push(`jobs: ${deps.jobsDestination}`);
    return { deps, description: descriptions.join('\n'), close: () => closeAll(cleanups) };
  } catch (error) {
    await closeAll(cleanups);
    throw error;
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
