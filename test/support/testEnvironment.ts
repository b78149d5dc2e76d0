import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { PUBLIC_ARM_AUDIENCE } from '../../shared/adapters/arm/armReader.js';
import { startArmStandIn, type ArmStandIn, type ArmStandInOptions } from '../../local/armStandIn.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite.js';
import { createDependencies, type Dependencies } from '../../shared/runtime/dependencies.js';
import type { Environment } from '../../shared/config/settings.js';
import { repoRoot } from './repoRoot.js';

export const fakeCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface TestEnvironment {
  readonly azurite: RunningAzurite;
  /** The current stand-in; replaced by `restartStandIn`. */
  readonly standIn: ArmStandIn;
  /** Serves the estate folder afresh (the stand-in caches files), e.g. after a test edits it. */
  restartStandIn(): Promise<void>;
  readonly estateDir: string;
  /** Builds the production dependencies against Azurite and the stand-in; `env` adds settings. */
  dependencies(env?: Environment): Promise<Dependencies>;
  close(): Promise<void>;
}

/** A copy of the bundled sample estate, so a test may change files without touching the repo. */
export function copySampleEstate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'esu-estate-'));
  cpSync(join(repoRoot(), 'samples', 'estate'), dir, { recursive: true });
  return dir;
}

/** Real Azurite (in memory) and the real ARM stand-in over HTTPS, serving `estateDir`. */
/**
 * Integration tests never depend on the real date: by default they evaluate as of 2026-09-01, while Windows
 * Server 2012 ESU still ran (the sample estate's WS2012 machines exercise every delivery rule then); tests of
 * the programs' calendar pass their own date.
 */
export const WS2012_ACTIVE_AS_OF = new Date('2026-09-01T00:00:00Z');

export async function startTestEnvironment(options: { estateDir?: string; pageSize?: number; evaluationTime?: Date; standIn?: Omit<ArmStandInOptions, 'estateDir' | 'synthetic' | 'pageSize'> } = {}): Promise<TestEnvironment> {
  const estateDir = options.estateDir ?? copySampleEstate();
  const pageSize = options.pageSize ?? 5;
  const [azurite, firstStandIn] = await Promise.all([
    startAzurite({ service: 'table' }),
    startArmStandIn({ ...options.standIn, estateDir, pageSize }),
  ]);
  let standIn = firstStandIn;
  const opened: Dependencies[] = [];
  return {
    azurite,
    get standIn() {
      return standIn;
    },
    async restartStandIn() {
      await standIn.close();
      standIn = await startArmStandIn({ ...options.standIn, estateDir, pageSize });
    },
    estateDir,
    async dependencies(env: Environment = {}) {
      const deps = await createDependencies(
        { ESU_ARM_ENDPOINT: standIn.endpoint, ...env },
        {
          armCredential: fakeCredential,
          armTrustedCa: standIn.ca,
          armTokenAudience: PUBLIC_ARM_AUDIENCE,
          storage: { kind: 'connectionString', connectionString: azurite.connectionString },
        },
      );
      opened.push(deps);
      return { ...deps, evaluationTime: options.evaluationTime ?? WS2012_ACTIVE_AS_OF };
    },
    async close() {
      await Promise.all(opened.map((deps) => deps.close()));
      await Promise.all([standIn.close(), azurite.stop()]);
      if (!options.estateDir) rmSync(estateDir, { recursive: true, force: true });
    },
  };
}
