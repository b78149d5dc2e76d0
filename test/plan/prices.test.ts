import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePriceList } from '../../shared/plan/prices.js';
import { ConfigurationError, ruleSettingsFrom } from '../../shared/runtime/dependencies.js';

describe('ESU_PRICES: prices are the operator\'s, checked when the app starts', () => {
  it('unset or blank: no prices (the plan counts core-months only)', () => {
    assert.equal(parsePriceList(undefined), undefined);
    assert.equal(parsePriceList('  '), undefined);
  });
  it('a price list per program, edition and core type', () => {
    assert.deepEqual(parsePriceList('{"currency":"EUR","perCoreMonth":{"WS2016 Standard vCore":9.5,"WS2016 Datacenter pCore":30}}'), { currency: 'EUR', perCoreMonth: { 'WS2016 Standard vCore': 9.5, 'WS2016 Datacenter pCore': 30 } });
  });
  for (const [name, text, reason] of [
    ['not JSON', '{currency: USD}', /ESU_PRICES is not JSON: expected e\.g\./],
    ['an unknown key', '{"currency":"USD","perCoreMonth":{"WS2016 Standard":10}}', /ESU_PRICES is invalid: .*WS2016 Standard vCore/],
    ['a negative price', '{"currency":"USD","perCoreMonth":{"WS2016 Standard vCore":-1}}', /ESU_PRICES is invalid/],
    ['a currency that is no ISO code', '{"currency":"dollars","perCoreMonth":{}}', /ISO 4217/],
    ['an extra field', '{"currency":"USD","perCoreMonth":{},"discount":0.2}', /ESU_PRICES is invalid/],
  ] as const) {
    it(`rejects ${name}`, () => assert.throws(() => parsePriceList(text), reason));
  }
  it('the settings of ESU_PROGRAM_OVERRIDES still read the same way (one JSON setting reader)', () => {
    assert.throws(() => ruleSettingsFrom({ ESU_PROGRAM_OVERRIDES: '{' }), (error: unknown) => error instanceof ConfigurationError && /ESU_PROGRAM_OVERRIDES is not JSON/.test(error.message));
  });
});
