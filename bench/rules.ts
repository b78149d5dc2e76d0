/**
 * Micro-benchmark of rule evaluation alone: machines already parsed (as the scan has them after ARM),
 * through subject derivation and every machine rule, building findings and jobs. No I/O.
 * `npm run bench:rules -- [--machines N] [--seconds S] [--as-of YYYY-MM-DD] [--json]` (default: now; the mix of
 * findings, and so the cost, depends on where the ESU programs stand on that day)
 */
import { parseArgs } from 'node:util';
import { LicenseIndex } from '../shared/domain/licenseLink.js';
import { parseLicense } from '../shared/domain/license.js';
import { parseMachine, type ArcMachine } from '../shared/domain/machine.js';
import { toMachineSubject } from '../shared/rules/machineSubject.js';
import { SyntheticEstate } from '../local/syntheticEstate.js';
import { RULES } from '../shared/rules/catalog.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext } from '../shared/rules/context.js';
import { evaluateRules, type Evaluation } from '../shared/scan/evaluate.js';

const { values } = parseArgs({ options: { machines: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '5' }, 'as-of': { type: 'string' }, json: { type: 'boolean', default: false } } });
const machineCount = Number(values.machines);
const seconds = Number(values.seconds);

const estate = new SyntheticEstate({ subscriptions: 20, machinesPerSubscription: Math.ceil(machineCount / 20) });
const machines: { machine: ArcMachine; index: LicenseIndex; context: EvaluationContext }[] = [];
const now = values['as-of'] ? new Date(`${values['as-of']}T00:00:00Z`) : new Date();
if (Number.isNaN(now.getTime())) throw new Error('--as-of must be a date YYYY-MM-DD');
for (const [s, subscriptionId] of estate.subscriptionIds.entries()) {
  const licenses = estate.licenses(subscriptionId).flatMap((raw) => {
    const parsed = parseLicense(raw);
    return parsed.ok ? [parsed.value] : [];
  });
  const index = new LicenseIndex(licenses);
  // One context per subscription, as a scan has it.
  const context: EvaluationContext = { now, settings: DEFAULT_RULE_SETTINGS };
  for (let i = 0; i < estate.machineCount(subscriptionId); i += 1) {
    const parsed = parseMachine(estate.machine(s, i));
    if (parsed.ok) machines.push({ machine: parsed.value, index, context });
  }
}

const stamp = { scanId: 'scan-bench', evaluatedAt: new Date().toISOString() };
let evaluated = 0;
let findings = 0;
let jobs = 0;
const started = performance.now();
while (performance.now() - started < seconds * 1000) {
  for (const { machine, index, context } of machines) {
    const subject = toMachineSubject(machine, index);
    const evaluation: Evaluation = evaluateRules(RULES.machine, subject, { resourceId: subject.id, resourceType: 'Microsoft.HybridCompute/machines', resourceName: subject.name }, context, stamp);
    evaluated += 1;
    findings += evaluation.findings.length;
    jobs += evaluation.jobs.length;
  }
}
const elapsedSeconds = (performance.now() - started) / 1000;
const figures = {
  machines: machines.length,
  evaluated,
  seconds: Number(elapsedSeconds.toFixed(2)),
  machinesPerSecond: Math.round(evaluated / elapsedSeconds),
  findingsPerMachine: Number((findings / evaluated).toFixed(2)),
  jobsPerMachine: Number((jobs / evaluated).toFixed(2)),
  rules: RULES.machine.length,
  evaluatedAsOf: now.toISOString(),
};
console.log(values.json ? JSON.stringify(figures) : `rule evaluation: ${figures.machinesPerSecond} machines/s (${figures.rules} machine rules, ${figures.findingsPerMachine} findings and ${figures.jobsPerMachine} jobs per machine, ${figures.machines} distinct synthetic machines, ${figures.seconds} s, as of ${figures.evaluatedAsOf.slice(0, 10)})`);
