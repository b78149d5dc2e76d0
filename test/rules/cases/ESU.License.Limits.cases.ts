import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { ledgerEntry, type RuleCase } from '../../support/ruleHarness.js';

/** Every case of ESU.License.Limits: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.License.Limits', name: 'pass: 16 cores, unique name', subject: ledgerEntry({}, []), expect: ['LicenseLimits.Passed'] },
  { ruleId: 'ESU.License.Limits', name: 'pass: exactly 10,000 cores', subject: ledgerEntry({ details: { processors: 10000 } }, []), expect: ['LicenseLimits.Passed'] },
  { ruleId: 'ESU.License.Limits', name: 'fail: 10,001 cores', subject: ledgerEntry({ details: { processors: 10001 } }, []), expect: ['LicenseLimits.Failed.TooManyCores'], evidence: { processors: 10001, maximumCores: 10000 } },
  { ruleId: 'ESU.License.Limits', name: 'fail: too many cores also names the duplicate', subject: ledgerEntry({ details: { processors: 12000 } }, [], 2), expect: ['LicenseLimits.Failed.TooManyCores'], messageIncludes: ['also used by 1 other license'] },
  { ruleId: 'ESU.License.Limits', name: 'warn: name used twice in the tenant', subject: ledgerEntry({}, [], 2), expect: ['LicenseLimits.PassedWithWarning.DuplicateName'], evidence: { sameNameCount: 2, name: 'esu-license-01' } },
  { ruleId: 'ESU.License.Limits', name: 'settings: a lower maximum', subject: ledgerEntry({ details: { processors: 128 } }, []), context: { settings: { ...DEFAULT_RULE_SETTINGS, maximumLicenseCores: 100 } }, expect: ['LicenseLimits.Failed.TooManyCores'] },
  { ruleId: 'ESU.License.Limits', name: 'error: non-numeric processors', subject: ledgerEntry({ details: { processors: '10k' } }, [], 3), expect: ['LicenseLimits.Error.InvalidCoreCount'], evidence: { processors: '10k' }, messageIncludes: ['also used by 2 other license'] },
  { ruleId: 'ESU.License.Limits', name: 'error (missing): no licenseDetails', subject: ledgerEntry({ details: null }, []), expect: ['LicenseLimits.Error.InvalidCoreCount'], evidence: { processors: 'missing' } },
  { ruleId: 'ESU.License.Limits', name: 'malformed: odd sameNameCount is read as unique', subject: ledgerEntry({}, [], Number.NaN), expect: ['LicenseLimits.Passed'] },
  { ruleId: 'ESU.License.Limits', name: 'not applicable: non-ESU license', subject: ledgerEntry({ licenseType: 'SQL', details: { processors: 20000 } }, []), expect: [] },
];
