import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this CLI runs from (the folder holding its package.json), found from this file. */
export function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json not found above the CLI');
    folder = parent;
  }
  return folder;
}

/** Local Azurite data lives in the project, so a scan and a later query see the same tables. */
export function localDataFolder(): string {
  return join(projectRoot(), '.esu-scan', 'azurite');
}
