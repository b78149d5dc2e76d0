// Runs the ARM stand-in as its own process, so a benchmark measures the scanner's memory alone:
//   node dist/local/armStandInProcess.js '<ArmStandInOptions as JSON>'
// Prints one JSON line `{"endpoint": ..., "ca": ...}` once listening. On SIGTERM / SIGINT, or a line "stats" on
// stdin, prints one JSON line of the stand-in's stats (and the CPU time it used) and exits 0. Bad options: a message on stderr, exit 2.
import { createInterface } from 'node:readline';
import { startArmStandIn, type ArmStandIn, type ArmStandInOptions } from './armStandIn.js';

const USAGE = "usage: node armStandInProcess.js '{\"synthetic\": {\"subscriptions\": 10, \"machinesPerSubscription\": 1000}, \"throttle\": {\"burst\": 250, \"refillPerSecond\": 25}}'";

function parseOptions(text: string | undefined): ArmStandInOptions {
  if (text === undefined) throw new Error(USAGE);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`options must be a JSON object\n${USAGE}`);
  return parsed as ArmStandInOptions;
}

const writeLine = (value: unknown): Promise<void> =>
  new Promise((resolve) => process.stdout.write(`${JSON.stringify(value)}\n`, () => resolve()));

let standIn: ArmStandIn;
try {
  standIn = await startArmStandIn(parseOptions(process.argv[2]));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

let finishing = false;
async function finish(): Promise<void> {
  if (finishing) return;
  finishing = true;
  const cpu = process.cpuUsage();
  await writeLine({ ...standIn.stats, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
  await standIn.close().catch(() => undefined);
  process.exit(0);
}

process.on('SIGTERM', () => void finish());
process.on('SIGINT', () => void finish());
// stdin ending (e.g. stdio 'ignore') is not a request to stop: only an explicit "stats" line is.
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') void finish();
});

await writeLine({ endpoint: standIn.endpoint, ca: standIn.ca });
