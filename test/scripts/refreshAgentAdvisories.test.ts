/**
 * The advisory refresh (`npm run advisories`): the committed data is what the captured CVE records give, and the
 * CVE JSON 5 and NVD API 2.0 shapes read to the same advisories, only for the agent's two CPE products.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../cli/projectPaths.js';
import { AGENT_ADVISORIES } from '../../shared/programs/agentAdvisories.js';
import { advisoriesFromRecords, advisoryAffects } from '../../shared/programs/advisoryRecords.js';
import { parseAgentVersion } from '../../shared/domain/versions.js';
import { ADVISORY_MODULE, CAPTURED_RECORDS, refreshAdvisories } from '../../scripts/refreshAgentAdvisories.js';

const root = projectRoot();
const fixtures = join(root, 'test', 'fixtures', 'cve');
const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('advisory refresh', () => {
  it('the committed advisory module is what the captured CVE records give (npm run advisories)', () => {
    const result = refreshAdvisories([join(root, CAPTURED_RECORDS)], root);
    assert.deepEqual(result.problems, []);
    assert.equal(result.count, 6);
    assert.equal(readFileSync(join(root, ADVISORY_MODULE), 'utf8'), result.module, 'stale shared/programs/agentAdvisories.ts: run npm run advisories');
  });

  it('holds every record of the captured set with its id, date, range, CWE, title and link', () => {
    const captured = (read(join(root, CAPTURED_RECORDS)) as { records: Record<string, string>[] }).records;
    assert.equal(captured.length, 6);
    for (const record of captured) {
      const advisory = AGENT_ADVISORIES.find((candidate) => candidate.id === record['cveId']);
      assert.ok(advisory, `${record['cveId']} is in the data`);
      assert.deepEqual(
        [advisory.published, advisory.title, advisory.cwe, advisory.cpe, advisory.versionStartIncluding, advisory.versionEndExcluding, advisory.url],
        [record['datePublished'], record['title'], record['cwe'], record['cpe'], record['versionStartIncluding'], record['versionEndExcluding'], record['url']],
      );
    }
  });

  it('reads an NVD API 2.0 answer: the agent product only, the range as stated (four parts)', () => {
    const reading = advisoriesFromRecords([{ name: 'nvd', document: read(join(fixtures, 'nvd-api-2.0.json')) }]);
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(reading.advisories, [AGENT_ADVISORIES.find((advisory) => advisory.id === 'CVE-2026-21224')]);
    const [advisory] = reading.advisories;
    assert.ok(advisory);
    assert.equal(advisoryAffects(advisory, parseAgentVersion('1.60.03280.2600')!), true);
    assert.equal(advisoryAffects(advisory, parseAgentVersion('1.60.03293.2680')!), false);
  });

  it('reads a CVE JSON 5 record (affected versions with the CPE), the same as the captured record', () => {
    const reading = advisoriesFromRecords([{ name: 'cve5', document: read(join(fixtures, 'CVE-2026-96204.json')) }]);
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(reading.advisories, [AGENT_ADVISORIES.find((advisory) => advisory.id === 'CVE-2026-96204')]);
  });

  it('a folder of records and a record set naming the same records give each advisory once', () => {
    const result = refreshAdvisories([fixtures, join(root, CAPTURED_RECORDS)], root);
    assert.deepEqual(result.problems, []);
    assert.equal(result.count, 6);
  });

  it('a malformed record stops the refresh with what is wrong, and writes nothing', () => {
    const folder = mkdtempSync(join(tmpdir(), 'advisories-'));
    try {
      const record = read(join(fixtures, 'CVE-2026-96204.json')) as { containers: { cna: { problemTypes?: unknown; affected: { versions: { lessThan: string }[] }[] } } };
      delete record.containers.cna.problemTypes;
      writeFileSync(join(folder, 'no-cwe.json'), JSON.stringify(record));
      record.containers.cna.problemTypes = [{ descriptions: [{ cweId: 'CWE-918' }] }];
      record.containers.cna.affected[0]!.versions[0]!.lessThan = '1.68-beta';
      writeFileSync(join(folder, 'bad-version.json'), JSON.stringify(record));
      writeFileSync(join(folder, 'other.json'), JSON.stringify({ hello: 'world' }));
      const result = refreshAdvisories([folder], root);
      assert.equal(result.module, undefined);
      assert.deepEqual([...result.problems].sort(), [
        'CVE-2026-96204: no CWE',
        'CVE-2026-96204: versionEndExcluding "1.68-beta" is not a version',
        `${join(folder, 'other.json')}: neither a CVE JSON 5 record, an NVD API 2.0 answer nor a captured record set`,
        'no advisory of the Connected Machine agent in the inputs',
      ].sort());
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a missing input is a problem, not an empty catalogue', () => {
    const result = refreshAdvisories([join(root, 'no-such-folder')], root);
    assert.equal(result.module, undefined);
    assert.ok(result.problems.some((problem) => problem.includes('no such file or folder')));
  });
});
