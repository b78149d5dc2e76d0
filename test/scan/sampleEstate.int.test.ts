import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { checkCommand } from '../support/commands/commandCheck.js';
import { allRules } from '../../shared/rules/catalog.js';
import { AGENT_ADVISORIES } from '../../shared/programs/agentAdvisories.js';
import { runScan, type ScanRunResult } from '../../shared/scan/runScan.js';
import { documentationPages } from '../support/docPages.js';
import { repoRoot } from '../support/repoRoot.js';
import { startTestEnvironment, WS2012_ACTIVE_AS_OF, type TestEnvironment } from '../support/testEnvironment.js';

/**
 * The bundled estate is the demo people run first: every rule must show what it catches there, on the
 * calendar as it stands. It is scanned as of 2026-09-01 (Windows Server 2012 ESU still running: the whole
 * WS2012 chain), as of 2026-12-01 (WS2012 ended, WS2016 readiness) and as of 2027-01-13 (WS2016 ESU running).
 */
const TODAY = new Date('2026-12-01T00:00:00Z');
const WS2016_ACTIVE = new Date('2027-01-13T00:00:00Z');

/** Lower-cased machine id → osType, as the estate's machine payloads report it. */
function estateOsTypes(): Map<string, string> {
  const osTypes = new Map<string, string>();
  const estate = join(repoRoot(), 'samples', 'estate');
  for (const folder of readdirSync(estate, { withFileTypes: true }).filter((entry) => existsSync(join(estate, entry.name, 'machines.json')))) {
    const page = JSON.parse(readFileSync(join(estate, folder.name, 'machines.json'), 'utf8')) as { value?: { id?: unknown; properties?: { osType?: unknown } }[] };
    for (const machine of page.value ?? []) {
      if (typeof machine.id === 'string' && typeof machine.properties?.osType === 'string') osTypes.set(machine.id.toLowerCase(), machine.properties.osType);
    }
  }
  return osTypes;
}

describe('bundled sample estate', () => {
  const osTypes = estateOsTypes();
  let env: TestEnvironment;
  const runs = new Map<Date, { result: ScanRunResult; collector: ReportCollector }>();
  const findingsAt = (date: Date) => runs.get(date)!.collector.findings;
  const of = (date: Date, resourceName: string) => findingsAt(date).filter((f) => f.resourceName === resourceName);
  const allJobs = () => [...runs.values()].flatMap(({ collector }) => collector.jobs);

  before(async () => {
    env = await startTestEnvironment({ pageSize: 100 });
    // One Azurite per date would cost seconds each: the runs share one, in date order, as scans would.
    for (const date of [WS2012_ACTIVE_AS_OF, TODAY, WS2016_ACTIVE]) {
      const collector = new ReportCollector();
      const result = await runScan(await env.dependencies(), { observer: collector, asOf: date });
      runs.set(date, { result, collector });
    }
  });
  after(() => env.close());

  it('scans cleanly on every date', () => {
    for (const { result } of runs.values()) {
      assert.deepEqual(result.failures, []);
      assert.equal(result.run.subscriptionsScanned, 4);
      assert.ok(result.tenant, 'the tenant-wide license rules ran');
    }
  });

  for (const rule of allRules()) {
    it(`${rule.id} has a non-passing finding`, () => {
      const results = [...runs.values()].flatMap(({ collector }) => collector.findings.filter((f) => f.ruleId === rule.id).map((f) => f.result));
      assert.ok(results.some((r) => r !== 'Passed'), `${rule.id}: ${results.join(', ') || 'no findings'}`);
    });
  }

  it('findings, jobs, messages, the result and the sample notes name only CVE ids that are in the advisory data', () => {
    const known = new Set(AGENT_ADVISORIES.map((advisory) => advisory.id));
    const texts = [...runs.values()].flatMap(({ result, collector }) => [JSON.stringify(result), JSON.stringify(collector.findings), JSON.stringify(collector.jobs), JSON.stringify(collector.messages)]);
    texts.push(...documentationPages(repoRoot()).map((page) => readFileSync(join(repoRoot(), page), 'utf8')));
    const named = new Set(texts.flatMap((text) => text.match(/CVE-\d{4}-\d{4,}/g) ?? []));
    assert.ok(named.size > 0, 'the estate shows at least one advisory');
    assert.deepEqual([...named].filter((id) => !known.has(id)), []);
    // ws16-app-02 reports agent 1.58.03021.1140: five of the six records hold it (all but CVE-2024-21329, below 1.38).
    const agent158 = of(TODAY, 'ws16-app-02').find((f) => f.ruleId === 'ESU.Machine.AgentVulnerability');
    assert.equal(agent158?.evidence['advisories'], 'CVE-2026-21224, CVE-2026-26117, CVE-2026-40381, CVE-2026-47632, CVE-2026-96204');
  });

  it('the newest known agent comes from the release notes, or from a machine of the scan that reports a newer one', () => {
    const supported = findingsAt(TODAY).filter((f) => f.ruleId === 'ESU.Machine.AgentSupported');
    const sources = new Set(supported.map((f) => `${String(f.evidence['newestVersion'])} (${String(f.evidence['newestSource'])})`));
    assert.ok(sources.has('1.68.03100.1220 (reported by a machine in this scan)'), [...sources].join('; '));
    assert.ok(sources.has('1.67 (the agent release notes)'), [...sources].join('; '));
    assert.deepEqual([...sources].filter((text) => !/^1\.6[78]/.test(text)), [], 'never an older release as the newest');
  });

  it('after 2026-10-13 a WS2012 machine gets the ended-program failure and no link or purchase advice', () => {
    const before = of(WS2012_ACTIVE_AS_OF, 'app-2012r2-04').map((f) => f.messageId);
    const today = of(TODAY, 'app-2012r2-04').map((f) => f.messageId);
    assert.ok(before.includes('Enrolled.Failed.NotAssigned') && !before.includes('LegacyOs.Failed.EsuEnded'), before.join(', '));
    assert.ok(today.includes('LegacyOs.Failed.EsuEnded'), today.join(', '));
    assert.ok(!today.some((id) => id.startsWith('Enrolled.') || id.startsWith('AgentVersion.') || id.startsWith('Connected.')), today.join(', '));
    assert.ok(findingsAt(TODAY).some((f) => f.messageId === 'LicenseProgram.Failed.ProgramEnded' && f.resourceName === 'esu-dc-pcore-64'));
    assert.ok(!findingsAt(TODAY).some((f) => f.messageId.startsWith('LicenseCapacity.') && f.resourceName === 'esu-dc-pcore-64'), 'no resize advice for an ended program');
  });

  it('WS2016 readiness today, delivery from 2027-01-13', () => {
    const agent = (date: Date) => of(date, 'ws16-app-02').find((f) => f.ruleId === 'ESU.Machine.AgentVersion');
    assert.equal(agent(TODAY)?.messageId, 'AgentVersion.PassedWithWarning.BelowMinimumBeforeDeadline');
    assert.match(agent(TODAY)?.message ?? '', /1\.62.*42 days left/);
    assert.equal(agent(WS2016_ACTIVE)?.messageId, 'AgentVersion.Failed.BelowMinimum');
    const linkedElsewhere = of(WS2016_ACTIVE, 'br-ws16-10');
    assert.ok(linkedElsewhere.some((f) => f.messageId === 'Enrolled.Passed'), 'a WS2016 machine linked to a WS2016 license of another subscription is enrolled');
    assert.ok(!linkedElsewhere.some((f) => f.ruleId === 'ESU.Machine.LicenseOnIneligibleOs'), 'and gets no unlink advice');
    assert.ok(of(TODAY, 'ws16-app-03').some((f) => f.messageId === 'LicenseOnIneligibleOs.Failed.ProgramMismatch'), 'a WS2016 machine on a 2012 R2 license fails');
  });

  it('licensed is not patched: pending ESU updates with their KBs, a stale and a failed assessment, no evidence (today)', () => {
    const patchFinding = (name: string, ruleId: string) => of(TODAY, name).find((f) => f.ruleId === ruleId);
    const pending = patchFinding('ws16-app-01', 'ESU.Machine.EsuPatchesInstalled');
    assert.equal(pending?.messageId, 'EsuPatchesInstalled.Failed.UpdatesPending');
    assert.deepEqual(pending?.evidence['kbIds'], ['KB5066155', 'KB5068864', 'KB5068900']);
    assert.match(pending?.message ?? '', /2 security and 1 critical .*KB5066155, KB5068864, KB5068900/);
    assert.ok(runs.get(TODAY)!.collector.jobs.some((job) => job.jobType === 'install-updates' && job.resourceId.endsWith('/ws16-app-01')), 'with an install-updates job');
    assert.equal(patchFinding('ws16-app-03', 'ESU.Machine.PatchAssessmentCurrent')?.messageId, 'PatchAssessmentCurrent.PassedWithWarning.Stale');
    assert.equal(patchFinding('ws16-app-03', 'ESU.Machine.EsuPatchesInstalled'), undefined, 'a stale assessment with nothing pending proves nothing');
    assert.equal(patchFinding('ws16-db-05', 'ESU.Machine.PatchAssessmentHealthy')?.messageId, 'PatchAssessmentHealthy.Failed.AssessmentFailed');
    assert.equal(patchFinding('ws16-vm-dc-12', 'ESU.Machine.PatchEvidence')?.messageId, 'PatchEvidence.PassedWithWarning.NoEvidence');
    assert.equal(patchFinding('ws16-azure-07', 'ESU.Machine.EsuPatchesInstalled')?.messageId, 'EsuPatchesInstalled.Passed');
    // The fresh assessment of 2026-11-30 is stale by 2027-01-13: no pass from it any more.
    assert.equal(of(WS2016_ACTIVE, 'ws16-azure-07').find((f) => f.ruleId === 'ESU.Machine.EsuPatchesInstalled'), undefined);
  });

  it('each assessment row is within Resource Graph\'s 7 days of the scan it is meant for (WS2012 rows: 2026-09-01; WS2016 rows: 2026-12-01)', () => {
    const body = JSON.parse(readFileSync(join(repoRoot(), 'samples', 'estate', 'resourceGraph', 'patchassessmentresources.json'), 'utf8')) as { data: { id: string; type: string; properties: { lastModifiedDateTime?: string } }[] };
    const tooOld = body.data.filter((row) => {
      const meantFor = /2012/.test(row.id.split('/machines/')[1] ?? '') ? WS2012_ACTIVE_AS_OF : TODAY;
      const days = (meantFor.getTime() - Date.parse(row.properties.lastModifiedDateTime ?? '')) / 86_400_000;
      return !(days >= 0 && days <= 7);
    });
    assert.deepEqual(tooOld.map((row) => `${row.id.split('/machines/')[1]} ${row.properties.lastModifiedDateTime}`), []);
    // The stale sample is stale (more than 3 days) yet still in Resource Graph (at most 7).
    assert.match(of(TODAY, 'ws16-app-03').find((f) => f.ruleId === 'ESU.Machine.PatchAssessmentCurrent')?.message ?? '', /is [4-7] days old/);
  });

  it('while WS2012 ESU ran, the ESU guest configuration of an Arc machine decides; an Azure VM\'s does not', () => {
    const installed = (name: string) => of(WS2012_ACTIVE_AS_OF, name).find((f) => f.ruleId === 'ESU.Machine.EsuPatchesInstalled');
    assert.equal(installed('app-2012r2-05')?.messageId, 'EsuPatchesInstalled.Failed.GuestConfigurationNonCompliant');
    assert.match(installed('app-2012r2-05')?.message ?? '', /KB5063950 is missing/);
    assert.equal(installed('app-2012r2-03')?.messageId, 'EsuPatchesInstalled.Passed');
    assert.equal(installed('br-01-2012r2')?.messageId, 'EsuPatchesInstalled.Failed.UpdatesPending');
    assert.ok(runs.get(WS2012_ACTIVE_AS_OF)!.collector.jobs.some((job) => job.jobType === 'assign-esu-policy'), 'a WS2012 machine without evidence gets the policy job');
    // Branch Offices has the ESU patch policy assigned: its WS2012 machines without a result get no second assignment.
    const branch = of(WS2012_ACTIVE_AS_OF, 'br-03-2012r2').find((f) => f.ruleId === 'ESU.Machine.PatchEvidence');
    assert.equal(branch?.messageId, 'PatchEvidence.PassedWithWarning.PolicyAssignedNoResult');
    assert.match(branch?.message ?? '', /assigned, no result yet/);
    assert.ok(!runs.get(WS2012_ACTIVE_AS_OF)!.collector.jobs.some((job) => job.jobType === 'assign-esu-policy' && job.subscriptionId.endsWith('0002')), 'no assign-esu-policy job where it is assigned');
    assert.ok(!findingsAt(WS2012_ACTIVE_AS_OF).some((f) => f.resourceName === 'azvm-2012-01'));
  });

  it('the Deny policy is reported and names itself on the license jobs in its scope', () => {
    const deny = findingsAt(TODAY).find((f) => f.messageId === 'LicensePolicy.PassedWithWarning.LicenseWritesDenied');
    assert.equal(deny?.resourceName, 'deny-esu-license-changes');
    const jobs = runs.get(TODAY)!.collector.jobs.filter((job) => job.jobType === 'deactivate-license');
    assert.ok(jobs.length > 0 && jobs.every((job) => job.subscriptionId.endsWith('0004') === (job.blockedBy?.[0]?.displayName?.includes('Deny') ?? false)), 'deactivate jobs are blocked exactly in the Deny scope');
  });

  it("every job's commands pass the command contracts, for the machine's OS, on every date", () => {
    const problems = allJobs().flatMap((job) =>
      job.commands
        .map((command) => ({ job: `${job.ruleId} ${job.resourceId}`, command: command.command, problems: checkCommand(command, { osType: osTypes.get(job.resourceId.toLowerCase()) }) }))
        .filter((entry) => entry.problems.length > 0),
    );
    assert.deepEqual(problems, []);
    assert.ok(allJobs().length > 0 && allJobs().every((job) => job.checkedWith.length > 0));
  });

  it('a Linux machine gets its agent upgrade through the package manager, never PowerShell on the machine', () => {
    const linuxJobs = allJobs().filter((job) => osTypes.get(job.resourceId.toLowerCase()) === 'linux');
    assert.ok(linuxJobs.some((job) => job.jobType === 'upgrade-agent' && job.commands.some((command) => command.shell === 'bash' && command.command.includes('sudo apt upgrade'))));
    assert.deepEqual(linuxJobs.flatMap((job) => job.commands).filter((command) => command.shell === 'powershell' && !/^(Invoke-AzRestMethod|New-AzConnected|Get-AzConnected|Set-AzContext)/.test(command.command)), []);
  });

  it('no rule failed to evaluate on the sample data', () => {
    const errors = [...runs.values()].flatMap(({ collector }) => collector.findings.filter((f) => f.messageId.endsWith('.Error.Evaluation')));
    assert.deepEqual(errors.map((f) => `${f.ruleId} ${f.resourceId}: ${f.message}`), []);
  });
});
