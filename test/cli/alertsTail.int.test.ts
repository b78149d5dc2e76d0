import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../cli/exitCodes.js';
import { startAmqpPeer } from '../../local/amqpPeer.js';
import { repoRoot } from '../support/repoRoot.js';

interface Outcome { code: number; stdout: string; stderr: string; ms: number }

function tail(connectionString: string, ...args: string[]): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'alerts', 'tail', '--subscription', 'all', ...args], { env: { ...process.env, ESU_SERVICEBUS: connectionString } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('alerts tail', () => {
  it('prints any message shape with what it has, strips control characters, and settles it', async () => {
    const peer = await startAmqpPeer();
    try {
      peer.enqueueForSubscription('esu-remediation', 'all', { messageId: 'no-severity', body: { transition: 'opened', finding: { ruleId: 'ESU.Machine.Connected', resourceName: 'srv-\u001b[31mred\u001b[0m', message: 'bell\u0007 here' } } });
      peer.enqueueForSubscription('esu-remediation', 'all', { messageId: 'not-json-object', body: 'just text \u001b]0;title\u0007' });
      const first = await tail(peer.connectionString, '--max', '2', '--timeout', '20');
      assert.equal(first.code, EXIT_CODES.ok, first.stderr);
      assert.match(first.stdout, /OPENED .*ESU\.Machine\.Connected srv-\?\[31mred\?\[0m/);
      assert.match(first.stdout, /not a remediation message/);
      // eslint-disable-next-line no-control-regex -- asserting none reach the terminal
      assert.doesNotMatch(first.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
      const again = await tail(peer.connectionString, '--timeout', '2');
      assert.equal(again.stdout, '', 'both were completed, none is redelivered');
    } finally {
      await peer.stop();
    }
  });

  it('backs off while the bus is unreachable and gives up after --timeout', async () => {
    const port = await closedPort();
    const outcome = await tail(`Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true`, '--timeout', '4');
    assert.equal(outcome.code, EXIT_CODES.notFinished);
    assert.match(outcome.stderr, /Gave up: Service Bus did not answer within 4 s/);
    const retries = outcome.stderr.split('\n').filter((line) => line.startsWith('Receiving failed'));
    assert.ok(retries.length >= 1 && retries.length <= 4, `backed off: ${retries.length} attempts in ${outcome.ms} ms`);
    assert.ok(outcome.ms < 20_000, `gave up in ${outcome.ms} ms`);
  });
});
