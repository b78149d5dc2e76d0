import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ReportCollector } from '../../cli/report.js';
import { runScan } from '../../shared/scan/runScan.js';
import { startTestEnvironment, type TestEnvironment } from '../support/testEnvironment.js';

/** One scan of the sample estate as of `day`: the transitions it sent and the rows it wrote. */
interface DayScan {
  readonly transitions: Record<string, number>;
  readonly escalated: readonly string[];
  /** `ruleId messageId` of each message other than an escalation. */
  readonly others: readonly string[];
  readonly rowsWritten: number;
  readonly openFindings: number;
}

async function scanDays(env: TestEnvironment, days: readonly string[]): Promise<DayScan[]> {
  const scans: DayScan[] = [];
  for (const day of days) {
    const collector = new ReportCollector();
    const result = await runScan(await env.dependencies(), { observer: collector, asOf: new Date(`${day}T03:00:00Z`) });
    assert.deepEqual(result.failures, [], day);
    const transitions: Record<string, number> = {};
    for (const message of collector.messages) transitions[message.transition] = (transitions[message.transition] ?? 0) + 1;
    scans.push({
      transitions,
      escalated: collector.messages.filter((message) => message.transition === 'escalated').map((message) => `${message.finding.ruleId}|${message.finding.resourceId}`),
      others: collector.messages.filter((message) => message.transition !== 'escalated').map((message) => `${message.transition} ${message.finding.messageId}`),
      rowsWritten: result.subscriptions.reduce((sum, subscription) => sum + subscription.rowsWritten, 0) + (result.tenant?.rowsWritten ?? 0),
      openFindings: collector.findings.filter((finding) => finding.result !== 'Passed').length,
    });
  }
  return scans;
}

/**
 * The sample estate scanned on consecutive days with nothing changed but the date: WS2016's end of support
 * (2027-01-12) comes a day nearer each time, assessments age, a machine stays disconnected a day longer.
 */
describe('daily rescans of an unchanged estate', () => {
  let quiet: DayScan[];
  let crossing: DayScan[];
  let ageing: DayScan[];

  before(async () => {
    // Each series starts from empty storage: one Azurite each.
    const first = await startTestEnvironment({ pageSize: 100 });
    try {
      quiet = await scanDays(first, ['2026-12-07', '2026-12-07', '2026-12-08', '2026-12-09']);
    } finally {
      await first.close();
    }
    const second = await startTestEnvironment({ pageSize: 100 });
    try {
      // 31, 30 and 29 days before end of support: the 30-day stage is crossed on the second day.
      crossing = await scanDays(second, ['2026-12-12', '2026-12-13', '2026-12-14']);
    } finally {
      await second.close();
    }
    const third = await startTestEnvironment({ pageSize: 100 });
    try {
      // Assessments of 2026-11-30 are 3 days old on 2026-12-04 (still current) and 4 on 2026-12-05 (stale).
      ageing = await scanDays(third, ['2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    } finally {
      await third.close();
    }
  });

  it('2026-12-07 twice, -08, -09: the first scan opens alerts, the same as-of again writes nothing, the next days send nothing', () => {
    const [day1, again, day2, day3] = quiet;
    assert.ok((day1?.transitions['opened'] ?? 0) > 100, JSON.stringify(day1?.transitions));
    assert.ok((day1?.openFindings ?? 0) > 100);
    assert.deepEqual(again?.transitions, {});
    assert.equal(again?.rowsWritten, 0, 'a rescan at the same as-of stores the same rows');
    for (const day of [day2, day3]) {
      assert.deepEqual(day?.transitions, {});
      assert.equal(day?.openFindings, day1?.openFindings);
    }
    // Stored rows whose only change is elapsed time ("Disconnected for 27 days") are rewritten once per UTC day
    // of their evaluatedAt (the as-of), so their text stays true as of it: the same rows each new day, no others.
    assert.ok((day2?.rowsWritten ?? 0) > 0 && (day2?.rowsWritten ?? 0) < (day1?.openFindings ?? 0), String(day2?.rowsWritten));
    assert.equal(day3?.rowsWritten, day2?.rowsWritten);
  });

  it('2026-12-12, -13, -14: the day the 30-day stage is crossed sends escalations only, one per open alert with a deadline; the next day nothing', () => {
    const [, day2, day3] = crossing;
    assert.deepEqual(Object.keys(day2?.transitions ?? {}), ['escalated']);
    assert.ok((day2?.escalated.length ?? 0) > 0);
    assert.equal(new Set(day2?.escalated).size, day2?.escalated.length, 'each alert escalates once');
    assert.ok(day2?.escalated.some((key) => key.startsWith('ESU.Machine.AgentVersion|')), 'the WS2016 agent readiness warnings escalate');
    assert.ok(!day2?.escalated.some((key) => /2012/.test(key.split('/machines/')[1] ?? '')), 'no WS2012 machine: its end of support is long past');
    assert.deepEqual(day3?.transitions, {});
    // Only the once-a-day rewrite of elapsed-time rows (see the first series): the escalations are news, the next day is not.
    assert.ok((day3?.rowsWritten ?? 0) < (day3?.openFindings ?? 0), String(day3?.rowsWritten));
  });

  it('2026-12-03 to -06: an assessment turning stale is news once (its rule\'s own threshold), the days around it are quiet', () => {
    const [, day2, day3, day4] = ageing;
    assert.deepEqual(day2?.transitions, {});
    assert.ok((day3?.others.length ?? 0) > 0);
    assert.deepEqual([...new Set(day3?.others)], ['opened PatchAssessmentCurrent.PassedWithWarning.Stale'], 'only the staleness opens');
    assert.deepEqual(Object.keys(day3?.transitions ?? {}), ['opened']);
    assert.deepEqual(day4?.transitions, {});
  });
});
