// Loaded with --import into every unit-tier test file (scripts/runTests.mjs): a unit test must not start a process
// or open a socket. If it does, the call throws and the test fails, telling the author to name the file
// *.int.test.ts (the integration tier). Only the test files' own processes are guarded, not the runner that spawns them.
import childProcess from 'node:child_process';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

if (process.env.NODE_TEST_CONTEXT) {
  const refuse = (what) => () => {
    throw new Error(`unit tier: this test ${what}; a test that needs processes or sockets belongs to the integration tier (name its file *.int.test.ts, see docs/testing.md)`);
  };
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = refuse(`started a process (child_process.${name})`);
  net.Server.prototype.listen = refuse('opened a listening socket');
  net.Socket.prototype.connect = refuse('opened a network connection');
  syncBuiltinESMExports();
}
