/** The agent release data (`npm run releases`) is what the captured release notes give. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../cli/projectPaths.js';
import { AGENT_RELEASES } from '../../shared/programs/agentReleases.js';
import { releasesFromNotes } from '../../shared/programs/releaseNotes.js';
import { RELEASE_MODULE, RELEASE_NOTES, refreshReleases } from '../../scripts/refreshAgentReleases.js';

const root = projectRoot();

describe('agent release data', () => {
  it('the committed module is what the captured release notes and archive give (npm run releases)', () => {
    const result = refreshReleases(RELEASE_NOTES.map((path) => join(root, path)), root);
    assert.deepEqual(result.problems, []);
    assert.equal(readFileSync(join(root, RELEASE_MODULE), 'utf8'), result.module, 'stale shared/programs/agentReleases.ts: run npm run releases');
  });

  it('names every release from 1.0 (September 2020) to 1.67 (August 2026), newest first', () => {
    assert.equal(AGENT_RELEASES.length, 68);
    assert.deepEqual(AGENT_RELEASES[0], { version: '1.67', released: '2026-08' });
    assert.deepEqual(AGENT_RELEASES.at(-1), { version: '1.0', released: '2020-09' });
    assert.deepEqual(AGENT_RELEASES.find((release) => release.version === '1.42'), { version: '1.42', released: '2024-05' }, 'a "(Second release)" heading');
    assert.deepEqual(AGENT_RELEASES.find((release) => release.version === '1.57'), { version: '1.57', released: '2025-10' });
  });

  it('a heading with a month that is no month stops the refresh', () => {
    const reading = releasesFromNotes(['## Version 1.70 - Smarch 2027\n## Version 1.69 - December 2026\n']);
    assert.deepEqual(reading.problems, ['"## Version 1.70 - Smarch 2027": Smarch is not a month']);
    assert.deepEqual(reading.releases, [{ version: '1.69', released: '2026-12' }]);
  });

  it('inputs without any release heading are a problem, not an empty list', () => {
    const result = refreshReleases([join(root, 'sources', 'README.md')], root);
    assert.equal(result.module, undefined);
    assert.deepEqual(result.problems, ['no "## Version X.Y - Month YYYY" heading in the inputs']);
  });
});
