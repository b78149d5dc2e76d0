import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOperatingSystem, editionOf } from '../../shared/domain/operatingSystem.js';
import { ESU_PROGRAM_CATALOGUE } from '../../shared/programs/catalogue.js';
import { applyProgramOverrides, parseProgramOverrides } from '../../shared/programs/overrides.js';
import { canonicalTarget, daysUntilEndOfSupport, phaseOf, programById, programOfTarget } from '../../shared/programs/program.js';
import { ConfigurationError, ruleSettingsFrom } from '../../shared/runtime/dependencies.js';

const program = (id: 'WS2008' | 'WS2012' | 'WS2016') => {
  const found = programById(ESU_PROGRAM_CATALOGUE, id);
  assert.ok(found);
  return found;
};

describe('ESU program catalogue', () => {
  const phases: [string, 'WS2012' | 'WS2016', string][] = [
    ['2023-10-10T23:59:59Z', 'WS2012', 'upcoming'],
    ['2023-10-11T00:00:00Z', 'WS2012', 'active'],
    ['2026-10-13T23:59:59Z', 'WS2012', 'active'],
    ['2026-10-14T00:00:00Z', 'WS2012', 'ended'],
    ['2026-12-01T00:00:00Z', 'WS2016', 'upcoming'],
    ['2027-01-12T23:59:59Z', 'WS2016', 'upcoming'],
    ['2027-01-13T00:00:00Z', 'WS2016', 'active'],
    ['2030-01-09T00:00:00Z', 'WS2016', 'ended'],
  ];
  for (const [at, id, phase] of phases) {
    it(`${id} is ${phase} at ${at}`, () => assert.equal(phaseOf(program(id), new Date(at)), phase));
  }
  it('counts the days left to end of support', () => {
    assert.equal(daysUntilEndOfSupport(program('WS2016'), new Date('2026-12-01T00:00:00Z')), 42);
    assert.equal(daysUntilEndOfSupport(program('WS2016'), new Date('2027-02-01T00:00:00Z')), 0);
  });
  it('maps license targets to programs, whatever the spacing and casing', () => {
    assert.equal(programOfTarget(ESU_PROGRAM_CATALOGUE, 'windows  server 2012 r2')?.id, 'WS2012');
    assert.equal(programOfTarget(ESU_PROGRAM_CATALOGUE, 'Windows Server 2016')?.id, 'WS2016');
    assert.equal(programOfTarget(ESU_PROGRAM_CATALOGUE, 'Windows Server 2019'), undefined);
    assert.equal(canonicalTarget(ESU_PROGRAM_CATALOGUE, 'WINDOWS SERVER 2016'), 'Windows Server 2016');
  });
  it('every program cites its sources, and Arc programs name agent minimums and targets', () => {
    for (const entry of ESU_PROGRAM_CATALOGUE) {
      assert.ok(entry.sources.length > 0 && entry.sources.every((source) => source.url.startsWith('https://')), entry.id);
      if (entry.arcLicensing) assert.ok(entry.agentMinimum && entry.licenseTargets.length > 0, entry.id);
    }
  });
});

describe('ESU_PROGRAM_OVERRIDES', () => {
  it('changes dates and thresholds without a release', () => {
    const changed = applyProgramOverrides(ESU_PROGRAM_CATALOGUE, parseProgramOverrides('{"WS2016":{"esuEnd":"2031-01-14","agentMinimum":"1.70"}}'));
    assert.equal(programById(changed, 'WS2016')?.esuEnd, '2031-01-14');
    assert.equal(programById(changed, 'WS2016')?.agentMinimum, '1.70');
    assert.equal(programById(changed, 'WS2012')?.esuEnd, '2026-10-13', 'other programs unchanged');
    assert.equal(programById(ESU_PROGRAM_CATALOGUE, 'WS2016')?.esuEnd, '2030-01-08', 'the catalogue itself is not mutated');
  });
  it('an empty setting is the catalogue as shipped', () => assert.deepEqual(parseProgramOverrides(''), {}));
  const invalid: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['{"WS2099":{}}', /WS2099/],
    ['{"WS2016":{"colour":"red"}}', /colour/],
    ['{"WS2016":{"esuEnd":"2027-02-30"}}', /a real date.*WS2016\.esuEnd/],
    ['{"WS2016":{"esuEnd":"2030-13-01"}}', /a real date/],
    ['{"WS2016":{"agentMinimum":"latest"}}', /version/],
  ];
  for (const [text, message] of invalid) {
    it(`refuses ${text} with a message naming it`, () => {
      assert.throws(() => ruleSettingsFrom({ ESU_PROGRAM_OVERRIDES: text }), (error: unknown) => error instanceof ConfigurationError && message.test(error.message));
    });
  }
  it('the app settings carry the overrides into the rules', () => {
    assert.equal(programById(ruleSettingsFrom({ ESU_PROGRAM_OVERRIDES: '{"WS2012":{"esuEnd":"2027-10-12"}}' }).programs, 'WS2012')?.esuEnd, '2027-10-12');
  });
});

describe('Windows versions and editions', () => {
  const cases: [Record<string, string | undefined>, string, string][] = [
    [{ osName: 'Windows Server 2016 Datacenter' }, 'WindowsServer2016', 'Datacenter'],
    [{ osName: 'windows', osSku: 'Windows Server 2016 Standard', osType: 'windows' }, 'WindowsServer2016', 'Standard'],
    [{ osType: 'windows', osVersion: '10.0.14393.6452' }, 'WindowsServer2016', 'Unknown'],
    [{ osType: 'windows', osVersion: '10.0.17763' }, 'Other', 'Unknown'],
    [{ osName: 'Windows Server 2012 R2 Essentials' }, 'WindowsServer2012R2', 'Essentials'],
    [{ osName: 'Windows Server 2012 Foundation' }, 'WindowsServer2012', 'Foundation'],
    [{ osName: 'Windows Storage Server 2016 Standard' }, 'WindowsServer2016', 'StorageServer'],
  ];
  for (const [fields, family, edition] of cases) {
    it(`${JSON.stringify(fields)} → ${family}, ${edition}`, () => {
      assert.equal(classifyOperatingSystem(fields), family);
      assert.equal(editionOf(fields), edition);
    });
  }
});
