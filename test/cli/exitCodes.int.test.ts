import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { EXIT_CODES } from '../../cli/exitCodes.js';
import { repoRoot } from '../support/repoRoot.js';

interface Outcome { code: number; stdout: string; stderr: string }

/** The CLI's exit codes, as CI sees them: run as a user would, each with its own data folder. */
describe('esu-scan exit codes', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-exit-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const bin = join(repoRoot(), 'bin', 'esu-scan.js');
  const sample = join(repoRoot(), 'samples', 'estate');
  const envFor = (data: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, data) };
    for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS']) delete env[name];
    return env;
  };
  const cli = (data: string, ...args: string[]): Promise<Outcome> => new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: envFor(data), cwd: work, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const estateWith = (name: string, subscriptions: string): string => {
    const dir = join(work, name);
    cpSync(sample, dir, { recursive: true });
    writeFileSync(join(dir, 'subscriptions.json'), subscriptions);
    return dir;
  };

  it('0 on the sample estate (its 403 subscription is a finding), with read / could not read per subscription', async () => {
    const { code, stdout } = await cli('sample', 'scan', '--estate', sample);
    assert.equal(code, EXIT_CODES.ok);
    assert.match(stdout, /Subscriptions: 4\/4 scanned \(3 read, 1 could not read\)/);
    assert.match(stdout, /1b2c3d4e-0003-4a5b-8c6d-000000000003 {2}could not read: .*403/);
  });

  it('--fail-on: 3 when findings at or above the level exist', async () => {
    assert.equal((await cli('sample', 'scan', '--estate', sample, '--fail-on', 'Failed')).code, EXIT_CODES.failOn);
    assert.equal((await cli('sample', 'scan', '--estate', sample, '--fail-on', 'Error')).code, EXIT_CODES.failOn, 'the unreadable subscription counts as Error');
  });

  it('usage errors: 2, and nothing is scanned', async () => {
    const wrongLevel = await cli('usage', 'scan', '--estate', join(repoRoot(), 'samples'));
    assert.equal(wrongLevel.code, EXIT_CODES.usage);
    assert.match(wrongLevel.stderr, /is not an estate folder: it holds no subscriptions\.json/);
    const report = await cli('usage', 'scan', '--estate', sample, '--report', join(work, 'no-such-folder', 'report.json'));
    assert.equal(report.code, EXIT_CODES.usage);
    assert.match(report.stderr, /--report .*cannot write there .*nothing was scanned/);
    assert.equal((await cli('usage', 'scan', '--fail-on', 'Sometimes')).code, EXIT_CODES.usage);
    assert.equal(existsSync(join(work, 'usage')), false, 'no storage was even started');
  });

  it('a subscriptions list that is not { value: [...] }: 1, naming the file', async () => {
    for (const [name, text] of [['array', '[]'], ['null', '{"value": null}']] as const) {
      const dir = estateWith(name, text);
      const { code, stderr, stdout } = await cli(name, 'scan', '--estate', dir);
      assert.equal(code, EXIT_CODES.notFinished, `${name}: ${stdout}`);
      assert.ok(stderr.includes(join(dir, 'subscriptions.json')), stderr);
    }
    const none = await cli('none', 'scan', '--estate', estateWith('none', '{"value": []}'));
    assert.equal(none.code, EXIT_CODES.notFinished);
    assert.match(none.stderr, /No subscription to scan/);
  });

  it('a second scan on the same data folder is refused while the first runs; the first loses nothing', async () => {
    const reportFile = join(work, 'shared-report.json');
    const first = spawn(process.execPath, [bin, 'scan', '--estate', sample, '--report', reportFile], { env: envFor('shared'), cwd: work, stdio: 'ignore' });
    const firstExit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    for (let attempt = 0; attempt < 400 && !existsSync(join(work, 'shared', 'esu-scan.lock')); attempt += 1) await sleep(25);
    const second = await cli('shared', 'scan', '--estate', sample);
    assert.equal(second.code, EXIT_CODES.notFinished);
    assert.match(second.stderr, /Another esu-scan \(process \d+\) is using the data folder/);
    assert.equal(await firstExit, EXIT_CODES.ok);
    const jobs = JSON.parse((await cli('shared', 'jobs', '--format', 'json')).stdout) as { messageId: string }[];
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { messages: { messageId: string }[] };
    assert.ok(report.messages.length > 0);
    assert.deepEqual(jobs.map((j) => j.messageId).sort(), report.messages.map((m) => m.messageId).sort(), "the first run's messages are all kept");
  });

  it('a data folder on a full disk: 4, "results were not saved"', async (t) => {
    const mountPoint = join(work, 'full');
    mkdirSync(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      t.skip('mounting a small tmpfs needs root');
      return;
    }
    try {
      const env = { ...envFor('unused'), ESU_LOCAL_DATA_DIR: join(mountPoint, 'data') };
      const outcome = await new Promise<Outcome>((resolve) => execFile(process.execPath, [bin, 'scan', '--estate', sample], { env, cwd: work }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      }));
      assert.equal(outcome.code, EXIT_CODES.notSaved, outcome.stderr);
      assert.match(outcome.stderr, /The results were not saved/);
    } finally {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    }
  });

  it('SIGTERM stops the scan and ends its Azurite', async () => {
    const child = spawn(process.execPath, [bin, 'scan', '--estate', sample], { env: envFor('signal'), cwd: work, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let azurite: number | undefined;
    for (let attempt = 0; attempt < 200 && azurite === undefined; attempt += 1) {
      const [pid] = childrenOf(child.pid ?? 0);
      if (pid) azurite = pid;
      else await sleep(25);
    }
    assert.ok(azurite, 'the CLI started Azurite');
    child.kill('SIGTERM');
    assert.equal(await exited, 143);
    for (let attempt = 0; attempt < 100 && isRunning(azurite); attempt += 1) await sleep(50);
    assert.equal(isRunning(azurite), false, 'Azurite is gone');
  });
});

/** Process ids whose parent is `pid` (ps exits 1 when there are none). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Alive and not a zombie (an orphan's exit status may wait for a reaper that never comes in a container). */
function isRunning(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false;
  }
}
