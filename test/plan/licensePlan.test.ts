import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planLicenses } from '../../shared/plan/licensePlan.js';
import type { LicensePlan } from '../../shared/domain/licensePlan.js';
import type { MachineNeed } from '../../shared/domain/licenseNeed.js';
import { AFTER_EOS, BEFORE_EOS, esuLicense, ledgerOf, need, PLAN_SETTINGS, SUB_A, SUB_B, type MachineSpec } from './planEstate.js';

const plan = (ledger: ReturnType<typeof ledgerOf>, needs: readonly MachineNeed[], asOf = BEFORE_EOS, settings = PLAN_SETTINGS) =>
  planLicenses({ licenses: ledger.entries(), needs }, settings, asOf);

/** Where each machine goes: `name → license name (+ if proposed)`. */
const placements = (result: LicensePlan) => Object.fromEntries(result.assignments.map((a) => [a.need.machineName, `${a.licenseName}${a.proposed ? ' (new)' : ''}`]));
const created = (result: LicensePlan) => result.licenses.filter((row) => row.action === 'create').map((row) => `${row.edition} ${row.coreType} ${row.processorsAfter} for ${row.machinesPlanned}`);
const vms = (count: number, cores: number, prefix = 'vm', extra: Partial<MachineSpec> = {}) =>
  Array.from({ length: count }, (_, i) => need({ name: `${prefix}-${String(i).padStart(2, '0')}`, cores, ...extra }));

describe('license plan: Microsoft\'s WS2016 scenarios (license provisioning guidelines, "Scenario based examples")', () => {
  const cases: { name: string; needs: MachineNeed[]; expect: string[] }[] = [
    // Scenario 1: one WS2016 VM of 8 cores on each of eight modern hosts: virtual-core licensing.
    { name: 'scenario 1: eight 8-core VMs on modern hosts → 64 Standard vCores', needs: vms(8, 8), expect: ['Standard vCore 64 for 8'] },
    // Scenario 2: the vCore alternative (Arc does not report the 32-core host, so the pCore option cannot be checked).
    { name: 'scenario 2: four 8-core VMs of a branch office → 32 Standard vCores', needs: vms(4, 8), expect: ['Standard vCore 32 for 4'] },
    // Scenario 3: eight Standard 8-core physical servers: the 16-core minimum applies per server.
    { name: 'scenario 3: eight 8-core Standard servers → 128 Standard pCores', needs: vms(8, 8, 'store', { host: 'Physical' }), expect: ['Standard pCore 128 for 8'] },
    { name: 'scenario 4: twelve 12-core AWS VMs → 144 Standard vCores', needs: vms(12, 12, 'aws'), expect: ['Standard vCore 144 for 12'] },
    // Scenario 6: Arc sees the Datacenter VMs, not their 128-core host: vCore licenses are always Standard.
    { name: 'scenario 6: Datacenter VMs of an unseen host → Standard vCores', needs: vms(12, 4, 'dc', { serverType: 'Datacenter' }), expect: ['Standard vCore 96 for 12'] },
    // Scenario 7: 44 VMs needing 506 virtual cores: one Standard vCore license of 506, not 1,024 Datacenter pCores.
    { name: 'scenario 7: 44 VMs needing 506 vCores → one 506-core Standard vCore license', needs: [...vms(42, 11), ...vms(2, 22, 'big')], expect: ['Standard vCore 506 for 44'] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = plan(ledgerOf([]), testCase.needs);
      assert.deepEqual(created(result), testCase.expect);
      assert.equal(result.assignments.length, testCase.needs.length);
      assert.ok(result.assignments.every((a) => a.proposed));
    });
  }
});

describe('license plan: existing licenses', () => {
  it('two VMs competing for one license\'s 8 spare cores: one gets them, the other a new license', () => {
    const license = esuLicense({ name: 'vcore-16', processors: 16 });
    const ledger = ledgerOf([license], [{ machine: { name: 'linked', cores: 8 }, license }]);
    const result = plan(ledger, [need({ name: 'vm-b', cores: 8 }), need({ name: 'vm-a', cores: 8 })]);
    assert.deepEqual(placements(result), { 'vm-a': 'vcore-16', 'vm-b': 'esu-ws2016-standard-vcore-westeurope (new)' });
    const row = result.licenses.find((r) => r.name === 'vcore-16');
    assert.equal(row?.coresUsed, 8);
    assert.equal(row?.coresPlanned, 8);
    assert.equal(row?.action, 'keep');
  });

  it('a license filled by a host in another subscription has no room for this one', () => {
    const license = esuLicense({ name: 'pcore-16', type: 'pCore', processors: 16 });
    const ledger = ledgerOf([license], [{ machine: { name: 'host-b', subscriptionId: SUB_B, host: 'Physical', cores: 16 }, license }]);
    const result = plan(ledger, [need({ name: 'host-a', host: 'Physical', cores: 12 })]);
    assert.deepEqual(placements(result), { 'host-a': 'esu-ws2016-standard-pcore-westeurope (new)' });
    assert.deepEqual(created(result), ['Standard pCore 16 for 1']);
  });

  it('a license serves machines of any subscription, its own subscription first', () => {
    const inA = esuLicense({ name: 'in-a', processors: 8 });
    const inB = esuLicense({ name: 'in-b', subscriptionId: SUB_B, processors: 8 });
    const result = plan(ledgerOf([inA, inB]), [need({ name: 'vm-of-b', subscriptionId: SUB_B, cores: 8 }), need({ name: 'vm-of-a', cores: 8 }), need({ name: 'vm-2-of-a', cores: 8 })]);
    // vm-2-of-a comes first (same need, smaller id) and fills in-a; vm-of-b keeps in-b rather than lose it to vm-of-a.
    assert.deepEqual(placements(result), { 'vm-2-of-a': 'in-a', 'vm-of-b': 'in-b', 'vm-of-a': 'esu-ws2016-standard-vcore-westeurope (new)' });
  });

  it('the same estate with every list reversed, and links added last, gives the same plan', () => {
    const licenses = [esuLicense({ name: 'l1', processors: 24 }), esuLicense({ name: 'l2', processors: 10 }), esuLicense({ name: 'p1', type: 'pCore', processors: 40, edition: 'Datacenter' })];
    const linked = [{ machine: { name: 'x1', cores: 8 }, license: licenses[0]! }, { machine: { name: 'h1', host: 'Physical' as const, cores: 20 }, license: licenses[2]! }];
    const needs = [need({ name: 'a', cores: 8 }), need({ name: 'b', cores: 10 }), need({ name: 'c', cores: 6 }), need({ name: 'd', host: 'Physical', cores: 16, serverType: 'Datacenter' }), need({ name: 'e', host: 'Physical', cores: 8, subscriptionId: SUB_B })];
    const forward = plan(ledgerOf(licenses, linked), needs);
    const backward = plan(ledgerOf([...licenses].reverse(), [...linked].reverse()), [...needs].reverse());
    assert.deepEqual(backward, forward);
    assert.deepEqual(placements(forward), { a: 'l1', b: 'l2', c: 'l1', d: 'p1', e: 'esu-ws2016-standard-pcore-westeurope (new)' });
  });

  it('a Datacenter server needs a Datacenter pCore license; a Standard one may use either', () => {
    const standard = esuLicense({ name: 'std', type: 'pCore', processors: 32 });
    const result = plan(ledgerOf([standard]), [need({ name: 'dc', host: 'Physical', cores: 16, serverType: 'Datacenter' }), need({ name: 'st', host: 'Physical', cores: 16 })]);
    assert.deepEqual(placements(result), { dc: 'esu-ws2016-datacenter-pcore-westeurope (new)', st: 'std' });
  });

  it('a Datacenter VM goes on a Standard vCore license, never a Datacenter vCore one', () => {
    const result = plan(ledgerOf([esuLicense({ name: 'dc-vcore', edition: 'Datacenter', processors: 64 })]), [need({ name: 'dcvm', cores: 4, serverType: 'Datacenter' })]);
    assert.deepEqual(placements(result), { dcvm: 'esu-ws2016-standard-vcore-westeurope (new)' });
  });

  it('a WS2016 license whose core type is chosen later takes either kind of machine', () => {
    const open = esuLicense({ name: 'untyped', type: null, processors: 32 });
    const result = plan(ledgerOf([open]), [need({ name: 'vm', cores: 8 }), need({ name: 'host', host: 'Physical', cores: 8 })]);
    assert.deepEqual(placements(result), { vm: 'untyped', host: 'untyped' });
    assert.equal(result.licenses.find((r) => r.name === 'untyped')?.coresPlanned, 24);
  });

  // Microsoft's ESU Usage tags (deliver-extended-security-updates.md, "Additional scenarios"): a tagged machine takes no
  // cores of a license with the same tag or the multipurpose one; any other pairing counts its cores.
  const DEV_TEST = 'WS2012 VISUAL STUDIO DEV TEST';
  const DISASTER_RECOVERY = 'WS2012 DISASTER RECOVERY';
  const MULTIPURPOSE = 'WS2012 MULTIPURPOSE';
  for (const { name, licenseTag, machineTag, exempt } of [
    { name: 'a dev/test machine on a dev/test license', licenseTag: DEV_TEST, machineTag: DEV_TEST, exempt: true },
    { name: 'a disaster-recovery machine on a disaster-recovery license', licenseTag: DISASTER_RECOVERY, machineTag: DISASTER_RECOVERY, exempt: true },
    { name: 'a disaster-recovery machine on a multipurpose license', licenseTag: MULTIPURPOSE, machineTag: DISASTER_RECOVERY, exempt: true },
    { name: 'a disaster-recovery machine on a dev/test license', licenseTag: DEV_TEST, machineTag: DISASTER_RECOVERY, exempt: false },
    { name: 'an untagged machine on a disaster-recovery license', licenseTag: DISASTER_RECOVERY, machineTag: undefined, exempt: false },
  ]) {
    it(`ESU Usage tags: ${name} ${exempt ? 'takes no cores of it' : 'counts its cores (the full license cannot take it)'}`, () => {
      const tagged = esuLicense({ name: 'tagged', target: 'Windows Server 2012 R2', processors: 8, esuUsage: licenseTag });
      const activeWs2012 = new Date('2026-06-01T00:00:00Z');
      const result = plan(ledgerOf([tagged], [{ machine: { name: 'paid', cores: 8, program: 'WS2012' }, license: tagged }]), [need({ name: 'm', cores: 8, program: 'WS2012', ...(machineTag ? { esuUsage: machineTag } : {}) })], activeWs2012);
      const [assignment] = result.assignments;
      assert.equal(assignment?.licenseName === 'tagged', exempt, JSON.stringify(placements(result)));
      assert.equal(assignment?.cores, exempt ? 0 : 8);
      assert.equal(assignment?.proposed, !exempt);
    });
  }
});

describe('license plan: limits, unknowns and bad input', () => {
  it('a machine with no core count is in the plan as needing one, never as 0 cores', () => {
    const result = plan(ledgerOf([]), [need({ name: 'nocores' }), need({ name: 'nohost', host: 'Unknown', cores: 8 })]);
    assert.deepEqual(result.unplanned.map((u) => [u.need.machineName, u.reason]), [['nohost', 'needs-host-type'], ['nocores', 'needs-core-count']]);
    assert.deepEqual(result.assignments, []);
    assert.equal(result.programs[0]?.machinesUnplanned, 2);
  });

  it('negative and absurd core counts are not planned', () => {
    const result = plan(ledgerOf([]), [need({ name: 'neg', cores: -4 }), need({ name: 'huge', cores: 1_000_000 })]);
    assert.deepEqual(result.unplanned.map((u) => u.reason), ['absurd-core-count', 'absurd-core-count']);
  });

  it('a license at its 10,000-core limit is full; more than 10,000 new cores are split', () => {
    const full = esuLicense({ name: 'full', type: 'pCore', processors: 10_000 });
    const linked = Array.from({ length: 625 }, (_, i) => ({ machine: { name: `h${i}`, host: 'Physical' as const, cores: 16 }, license: full }));
    const result = plan(ledgerOf([full], linked), vms(700, 16, 'big'));
    assert.deepEqual(created(result), ['Standard vCore 10000 for 625', 'Standard vCore 1200 for 75']);
    assert.deepEqual(result.licenses.filter((r) => r.proposed).map((r) => r.name), ['esu-ws2016-standard-vcore-westeurope', 'esu-ws2016-standard-vcore-westeurope-2']);
    assert.equal(result.licenses.find((r) => r.name === 'full')?.action, 'keep');
  });

  it('an idle activated license is to remove; one bigger than its machines need, to shrink', () => {
    const idle = esuLicense({ name: 'idle', processors: 24 });
    const big = esuLicense({ name: 'big', processors: 64 });
    const result = plan(ledgerOf([idle, big], [{ machine: { name: 'm', cores: 10 }, license: big }]), []);
    const actions = Object.fromEntries(result.licenses.map((r) => [r.name, `${r.action} ${r.processors}→${r.processorsAfter}`]));
    assert.deepEqual(actions, { big: 'shrink 64→10', idle: 'remove 24→0' });
    assert.deepEqual(result.programs.map((p) => [p.licensesToRemove, p.licensesToShrink, p.coresToRemove, p.coresBilledNow, p.coresBilledAfter]), [[1, 1, 78, 88, 10]]);
  });

  it('a license with no core count, one nobody can read, and two with the same name are notes; the rest stands', () => {
    const noCores = esuLicense({ name: 'nocores', processors: undefined });
    const twinA = esuLicense({ name: 'twin', resourceGroup: 'rg-1', processors: 8 });
    const twinB = esuLicense({ name: 'twin', resourceGroup: 'rg-2', processors: 8 });
    const ledger = ledgerOf([noCores, twinA, twinB]);
    ledger.addLink({ assigned: true, licenseId: `/subscriptions/${SUB_B}/resourcegroups/hidden/providers/microsoft.hybridcompute/licenses/secret` }, { machineId: 'm', machineName: 'm', subscriptionId: SUB_A, hostType: 'Virtual', cores: 8, inScope: true });
    const result = plan(ledger, [need({ name: 'a', cores: 8 }), need({ name: 'b', cores: 8 }), need({ name: 'c', cores: 8 })]);
    assert.deepEqual(result.notes.map((n) => n.code).sort(), ['license-duplicate-name', 'license-invalid-cores', 'license-not-found']);
    assert.equal(result.complete, false);
    assert.deepEqual(placements(result), { a: 'twin', b: 'twin', c: 'esu-ws2016-standard-vcore-westeurope (new)' });
    assert.deepEqual(new Set(result.assignments.filter((a) => !a.proposed).map((a) => a.licenseId)).size, 2);
  });

  it('a proposed name already taken in the resource group gets a suffix', () => {
    const taken = esuLicense({ name: 'esu-ws2016-standard-vcore-westeurope', resourceGroup: 'rg-servers', state: 'Deactivated' });
    const result = plan(ledgerOf([taken]), [need({ name: 'vm', cores: 8 })]);
    assert.deepEqual(placements(result), { vm: 'esu-ws2016-standard-vcore-westeurope-new (new)' });
  });
});

describe('license plan: core-months and money', () => {
  const estate = () => ledgerOf([esuLicense({ name: 'idle', processors: 16 }), esuLicense({ name: 'dc', edition: 'Datacenter', type: 'pCore', processors: 32 })]);
  const needs = [need({ name: 'vm', cores: 12 }), need({ name: 'dchost', host: 'Physical', cores: 16, serverType: 'Datacenter' })];

  it('without prices the plan counts core-months and says prices are not configured', () => {
    const result = plan(estate(), needs);
    assert.equal(result.money, undefined);
    assert.deepEqual(result.coreMonths.map((l) => [`${l.programId} ${l.edition} ${l.coreType}`, l.coresNow, l.coresAfter, l.coresBackBilled, l.backBilledMonths]), [
      // Both idle licenses take the machines and shrink to them: 32 → 16 Datacenter pCores, 16 → 12 Standard vCores.
      ['WS2016 Datacenter pCore', 32, 16, 0, 0],
      ['WS2016 Standard vCore', 16, 12, 0, 0],
    ]);
  });

  it('with prices: monthly before and after; a Datacenter vCore license is charged as Datacenter', () => {
    const prices = { currency: 'EUR', perCoreMonth: { 'WS2016 Standard vCore': 2, 'WS2016 Datacenter pCore': 5 } };
    const dcVcore = ledgerOf([esuLicense({ name: 'odd', edition: 'Datacenter', type: 'vCore', processors: 8 })], [{ machine: { name: 'x', cores: 8 }, license: esuLicense({ name: 'odd', edition: 'Datacenter', type: 'vCore', processors: 8 }) }]);
    const result = plan(estate(), needs, BEFORE_EOS, { ...PLAN_SETTINGS, prices });
    assert.deepEqual(result.money, { currency: 'EUR', monthlyNow: 32 * 5 + 16 * 2, monthlyAfter: 16 * 5 + 12 * 2, backBilling: 0, unpriced: [] });
    const odd = plan(dcVcore, [], BEFORE_EOS, { ...PLAN_SETTINGS, prices });
    assert.equal(odd.coreMonths[0]?.price, 5);
  });

  it('licenses created after end of support are back-billed to 12 January 2027', () => {
    const prices = { currency: 'USD', perCoreMonth: { 'WS2016 Standard vCore': 3 } };
    const march = new Date('2027-03-15T00:00:00Z');
    const onDay = plan(ledgerOf([]), [need({ name: 'vm', cores: 8 })], AFTER_EOS, { ...PLAN_SETTINGS, prices });
    const later = plan(ledgerOf([]), [need({ name: 'vm', cores: 8 })], march, { ...PLAN_SETTINGS, prices });
    assert.deepEqual([onDay.coreMonths[0]?.coresBackBilled, onDay.coreMonths[0]?.backBilledMonths], [8, 0]);
    assert.deepEqual([later.coreMonths[0]?.coresBackBilled, later.coreMonths[0]?.backBilledMonths, later.money?.backBilling], [8, 2, 8 * 2 * 3]);
    const before = plan(ledgerOf([]), [need({ name: 'vm', cores: 8 })], BEFORE_EOS, { ...PLAN_SETTINGS, prices });
    assert.equal(before.coreMonths[0]?.coresBackBilled, 0);
  });
});
