import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import { createArmReader, type ArmReader } from '../../shared/adapters/arm/armReader.js';
import { parseLicense } from '../../shared/domain/license.js';
import { LicenseIndex, licenseLinkOf } from '../../shared/domain/licenseLink.js';
import { parseMachine, type ArcMachine } from '../../shared/domain/machine.js';
import { describeHost } from '../../shared/domain/hostProfile.js';
import { classifyOperatingSystem, editionOf } from '../../shared/domain/operatingSystem.js';
import { machineInEsuScope } from '../../shared/rules/machineSubject.js';
import { parseProvider } from '../../shared/domain/provider.js';
import { startArmStandIn, type ArmStandIn, type ArmStandInOptions, type ArmStandInStats } from '../../local/armStandIn.js';
import { REQUIRED_PROVIDERS, SYNTHETIC_MIX, SyntheticEstate } from '../../local/syntheticEstate.js';
import { createResourceGraphReader } from '../../shared/adapters/arm/resourceGraphReader.js';

const REFERENCE_TIME = '2026-11-22T00:00:00Z';
const API_VERSION = '2025-01-13';

const credentialFor = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

const readerFor = (standIn: { endpoint: string; ca: string }, token = 'reader-token'): ArmReader =>
  createArmReader({
    endpoint: standIn.endpoint,
    credential: credentialFor(token),
    trustedCa: standIn.ca,
    hybridComputeApiVersion: API_VERSION,
    tokenAudience: 'https://management.azure.com',
  });

function rawGet(standIn: ArmStandIn, path: string, token = 'raw-token'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${standIn.endpoint}${path}`, { method: 'GET', headers: { authorization: `Bearer ${token}` }, ca: standIn.ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;
const machinesPath = (subscriptionId: string, query = '') =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.HybridCompute/machines?api-version=${API_VERSION}${query}`;
const licensesPath = (subscriptionId: string) => `/subscriptions/${subscriptionId}/providers/Microsoft.HybridCompute/licenses?api-version=${API_VERSION}`;

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(3)} is not within ${tolerance} of ${expected}`);
}

async function collectPages(iterable: AsyncIterable<unknown[]>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const page of iterable) items.push(...page);
  return items;
}

const standIns: ArmStandIn[] = [];
async function start(options: ArmStandInOptions): Promise<ArmStandIn> {
  const standIn = await startArmStandIn(options);
  standIns.push(standIn);
  return standIn;
}
after(async () => {
  await Promise.all(standIns.map((s) => s.close()));
});

// ---------------------------------------------------------------------------------------------------------
// The generator

test('same seed gives identical payloads, another seed different ones', () => {
  const options = { subscriptions: 3, machinesPerSubscription: 50, seed: 7, referenceTime: REFERENCE_TIME };
  const a = new SyntheticEstate(options);
  const b = new SyntheticEstate(options);
  const other = new SyntheticEstate({ ...options, seed: 8 });
  assert.deepEqual(a.subscriptionIds, b.subscriptionIds);
  assert.equal(new Set(a.subscriptionIds).size, 3);
  for (const id of a.subscriptionIds) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(a.subscriptionsBody(), b.subscriptionsBody());
  for (let s = 0; s < 3; s++) {
    const id = a.subscriptionIds[s] as string;
    assert.deepEqual(a.licenses(id), b.licenses(id));
    assert.deepEqual(a.providersBody(id), b.providersBody(id));
    for (let i = 0; i < 50; i++) assert.deepEqual(a.machine(s, i), b.machine(s, i));
  }
  // order of generation does not matter: machine(2, 49) is the same whether asked first or last
  assert.deepEqual(new SyntheticEstate(options).machine(2, 49), a.machine(2, 49));

  assert.notDeepEqual(other.subscriptionIds, a.subscriptionIds);
  let differing = 0;
  for (let i = 0; i < 50; i++) {
    const mine = a.machine(0, i) as { properties: unknown };
    const theirs = other.machine(0, i) as { properties: unknown };
    if (JSON.stringify(mine.properties) !== JSON.stringify(theirs.properties)) differing++;
  }
  assert.ok(differing >= 45, `only ${differing} of 50 machines differ between seeds`);
  assert.throws(() => a.machine(0, 50), RangeError);
  assert.throws(() => a.machine(3, 0), RangeError);
});

test('the machine mix over 2,000 machines is as documented; every machine parses and links to a license of its subscription', () => {
  const estate = new SyntheticEstate({ subscriptions: 4, machinesPerSubscription: 500, seed: 1, referenceTime: REFERENCE_TIME });
  const count = new Map<string, number>();
  const inc = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
  const share = (key: string, of = 2000) => (count.get(key) ?? 0) / of;
  const reference = Date.parse(REFERENCE_TIME);
  const mix = SYNTHETIC_MIX;

  for (const [s, subscriptionId] of estate.subscriptionIds.entries()) {
    const index = new LicenseIndex(estate.licenses(subscriptionId).map((raw) => {
      const parsed = parseLicense(raw);
      assert.ok(parsed.ok);
      return parsed.value;
    }));
    assert.equal(estate.machineCount(subscriptionId), 500);
    for (let i = 0; i < 500; i++) {
      const parsed = parseMachine(estate.machine(s, i));
      assert.ok(parsed.ok, `vm-${s}-${i}: ${parsed.ok ? '' : parsed.reason}`);
      const m: ArcMachine = parsed.value;
      assert.equal(m.id, `/subscriptions/${subscriptionId}/resourceGroups/rg-${Math.floor(i / 200)}/providers/Microsoft.HybridCompute/machines/vm-${s}-${i}`);
      assert.equal(m.subscriptionId.toLowerCase(), subscriptionId);
      assert.ok(Date.parse(m.lastStatusChange ?? '') < reference);

      inc(`os:${classifyOperatingSystem(m)}`);
      inc(`edition:${editionOf(m)}`);
      inc(`status:${m.status}`);
      if (m.status === 'Disconnected' && reference - Date.parse(m.lastStatusChange ?? '') >= 24 * 3_600_000) inc('disconnectedDaysAgo');
      if (m.status === 'Error' && m.errorDetails.length > 0) inc('errorWithDetails');
      const minor = Number((m.agentVersion ?? '').split('.')[1]);
      assert.ok(minor >= 20 && minor <= 61, `agent ${m.agentVersion}`);
      if (minor < 34) inc('agentBelow134');
      const host = describeHost(m);
      inc(`host:${host.freeEnvironment ?? host.type}`);
      if (host.cores === undefined) inc('noCores');
      if (host.coreBasis === 'hardwareProfile.processors') {
        assert.ok(host.cores !== undefined && host.cores >= 8 && host.cores <= 64);
        inc('physicalWithProfile');
      }
      if (host.type === 'Virtual' && host.cores !== undefined) assert.ok(host.cores >= 2 && host.cores <= 16);
      if (m.kind === 'HCI') assert.ok(m.parentClusterResourceId?.includes('/Microsoft.AzureStackHCI/clusters/'));
      if (m.mssqlDiscovered) inc('mssql');
      if (m.osType === 'windows') {
        inc('windows');
        if (m.assessmentMode === 'AutomaticByPlatform') inc('assessmentAutomatic');
      }

      const link = licenseLinkOf(m);
      if (m.esu.licenseAssignmentState === 'Assigned') {
        assert.ok(link.immutableId, `vm-${s}-${i} is Assigned without assignedLicenseImmutableId`);
        assert.ok(index.find(link), `vm-${s}-${i} links to ${link.immutableId}, not a license of its subscription`);
      } else {
        assert.equal(link.assigned, false);
      }
      // The generator enrols its WS2012 / 2012 R2 machines only; its WS2016 ones are in scope but not yet enrolled.
      if (machineInEsuScope(classifyOperatingSystem(m), editionOf(m)) && classifyOperatingSystem(m) !== 'WindowsServer2016') {
        const free = host.freeEnvironment !== undefined;
        inc(free ? 'inScopeFree' : 'inScopePaid');
        if (m.esu.esuEligibility === 'Eligible') inc('inScopeEligible');
        if (m.esu.licenseAssignmentState === 'Assigned') {
          inc(free ? 'inScopeFreeAssigned' : 'inScopePaidAssigned');
          if (m.esu.esuKeyState === 'Active') inc('assignedActive');
        } else {
          assert.equal(m.esu.esuKeyState, 'Inactive');
        }
      }
    }
  }

  const os = mix.os;
  // Storage Server 2012 R2 is a 2012 R2 version of an edition ESU does not cover (editionOf says which).
  near(share('os:WindowsServer2012R2') + share('os:WindowsServer2012'), os.ws2012r2 + os.ws2012 + os.storage2012r2, 0.03, 'WS2012 / 2012 R2');
  near(share('os:WindowsServer2016'), os.ws2016, 0.03, '2016');
  near(share('os:Other'), os.ws2019 + os.ws2022 + os.linux, 0.03, '2019/2022 and Linux');
  near(share('os:LegacyWindows'), os.ws2008r2, 0.012, '2008 R2');
  assert.ok((count.get('edition:StorageServer') ?? 0) > 0, 'some Storage Server');
  near(share('status:Connected'), mix.status.Connected, 0.03, 'Connected');
  near(share('status:Disconnected'), mix.status.Disconnected, 0.02, 'Disconnected');
  assert.equal(count.get('disconnectedDaysAgo'), count.get('status:Disconnected'));
  near(share('status:Expired') + share('status:Error'), mix.status.Expired + mix.status.Error, 0.015, 'Expired + Error');
  assert.equal(count.get('errorWithDetails'), count.get('status:Error'));
  near(share('agentBelow134'), mix.agentBelowMinimum, 0.03, 'agent below 1.34');
  near(share('host:AzureStackHCI'), mix.host.hci, 0.012, 'HCI');
  near(share('host:AzureVMwareSolution'), mix.host.avs, 0.01, 'AVS');
  near(share('physicalWithProfile'), mix.host.physical, 0.03, 'physical with hardwareProfile');
  near(share('noCores'), mix.host.noCoreData, 0.015, 'no core data');
  near(share('mssql', count.get('windows')), mix.mssqlDiscovered, 0.02, 'mssqlDiscovered');
  near(share('assessmentAutomatic', count.get('windows')), mix.assessmentAutomatic, 0.03, 'AutomaticByPlatform');
  const inScope = (count.get('inScopeFree') ?? 0) + (count.get('inScopePaid') ?? 0);
  near(share('inScopeEligible', inScope), mix.esuEligibility.Eligible, 0.03, 'Eligible');
  near(share('inScopePaidAssigned', count.get('inScopePaid')), mix.assignedPaidHost, 0.03, 'Assigned (paid hosts)');
  near(share('inScopeFreeAssigned', count.get('inScopeFree')), mix.assignedFreeHost, 0.08, 'Assigned (HCI / AVS)');
  near(share('assignedActive', (count.get('inScopePaidAssigned') ?? 0) + (count.get('inScopeFreeAssigned') ?? 0)), mix.esuKeyActiveWhenAssigned, 0.03, 'esuKeyState Active');
});

test('licenses and providers mix: activated / deactivated, both types and editions, some below the minimum, a few unregistered providers', () => {
  const estate = new SyntheticEstate({ subscriptions: 200, machinesPerSubscription: 250, seed: 3, referenceTime: REFERENCE_TIME });
  const licenses = estate.subscriptionIds.flatMap((id) => estate.licenses(id)).map((raw) => {
    const parsed = parseLicense(raw);
    assert.ok(parsed.ok);
    return parsed.value;
  });
  assert.equal(licenses.length, 800);
  assert.equal(new Set(licenses.map((l) => l.immutableId)).size, 800);
  near(licenses.filter((l) => l.state === 'Activated').length / 800, SYNTHETIC_MIX.license.activated, 0.04, 'Activated');
  const below = licenses.filter((l) => (l.processors ?? 0) < (l.type === 'pCore' ? 16 : 8));
  near(below.length / 800, SYNTHETIC_MIX.license.belowMinimum, 0.03, 'below the core minimum');
  for (const combination of ['pCore/Standard', 'pCore/Datacenter', 'vCore/Standard', 'vCore/Datacenter']) {
    assert.ok(licenses.some((l) => `${l.type}/${l.edition}` === combination), combination);
  }
  assert.ok(licenses.every((l) => l.licenseType === 'ESU' && (l.processors ?? 0) <= 10_000 && /^Windows Server 2012( R2)?$/.test(l.target ?? '')));

  const patterns = { allRegistered: 0, NotRegistered: 0, Registering: 0 };
  for (const id of estate.subscriptionIds) {
    const providers = estate.providersBody(id).value.map(parseProvider);
    for (const namespace of REQUIRED_PROVIDERS) assert.ok(providers.some((p) => p?.namespace === namespace), namespace);
    const notRegistered = providers.filter((p) => p?.registrationState !== 'Registered');
    assert.ok(notRegistered.length <= 1);
    const state = notRegistered[0]?.registrationState;
    if (state === undefined) patterns.allRegistered++;
    else patterns[state as 'NotRegistered' | 'Registering']++;
  }
  near(patterns.allRegistered / 200, SYNTHETIC_MIX.providers.allRegistered, 0.06, 'all providers registered');
  assert.ok(patterns.NotRegistered > 0 && patterns.Registering > 0, JSON.stringify(patterns));
});

test('a 100k-machine estate is lazy: construction is immediate and any machine is generated on demand', () => {
  const started = performance.now();
  const estate = new SyntheticEstate({ subscriptions: 400, machinesPerSubscription: 250, referenceTime: REFERENCE_TIME });
  assert.equal(estate.totalMachines, 100_000);
  const last = parseMachine(estate.machine(399, 249));
  assert.ok(last.ok && last.value.name === 'vm-399-249');
  assert.ok(performance.now() - started < 500);
});

// ---------------------------------------------------------------------------------------------------------
// Serving it through the real SDK clients

let standIn: ArmStandIn;
const MACHINES = 237;
const PAGE_SIZE = 50;

before(async () => {
  standIn = await start({ synthetic: { subscriptions: 3, machinesPerSubscription: MACHINES, referenceTime: REFERENCE_TIME }, pageSize: PAGE_SIZE });
});

test('the ARM reader pages through synthetic machines: exactly machineCount items in ceil(count / pageSize) requests', async () => {
  const estate = standIn.synthetic as SyntheticEstate;
  const reader = readerFor(standIn);
  const subscriptions = [];
  for await (const s of reader.listSubscriptions()) subscriptions.push(s);
  assert.deepEqual(subscriptions.map((s) => s.subscriptionId), estate.subscriptionIds);
  assert.ok(subscriptions.every((s) => s.state === 'Enabled' && s.displayName?.startsWith('Synthetic')));

  const subscriptionId = estate.subscriptionIds[1] as string;
  const before = standIn.requests.length;
  const machines = await collectPages(reader.listMachinePages(subscriptionId));
  assert.equal(machines.length, estate.machineCount(subscriptionId));
  assert.deepEqual(machines, Array.from({ length: MACHINES }, (_, i) => estate.machine(1, i)));
  const served = standIn.requests.slice(before);
  assert.equal(served.length, Math.ceil(MACHINES / PAGE_SIZE));
  assert.ok(served.every((r) => r.status === 200 && r.path.endsWith('/machines') && r.query.includes(`api-version=${API_VERSION}`)));

  assert.deepEqual(await reader.listLicenses(subscriptionId), estate.licenses(subscriptionId));
  const providers = (await reader.listProviders(subscriptionId)).map(parseProvider);
  assert.deepEqual(providers.map((p) => p?.namespace), estate.providersBody(subscriptionId).value.map((p) => (p as { namespace: string }).namespace));

  const stats = standIn.stats;
  assert.equal(stats.requests, standIn.requests.length);
  assert.equal(stats.byPath['/subscriptions/{s}/providers/microsoft.hybridcompute/machines']?.requests, Math.ceil(MACHINES / PAGE_SIZE));
  assert.deepEqual([stats.throttled, stats.faults503, stats.slowPages], [0, 0, 0]);
});

test('synthetic patch evidence: Resource Graph rows for the asked subscriptions, paged at 1,000, and no guest configuration rows', async () => {
  const estate = standIn.synthetic as SyntheticEstate;
  const [first, , third] = estate.subscriptionIds as [string, string, string];
  const graph = createResourceGraphReader({ endpoint: standIn.endpoint, credential: { getToken: async () => ({ token: 'synthetic', expiresOnTimestamp: Date.now() + 3_600_000 }) }, trustedCa: standIn.ca });
  const before = standIn.requests.length;
  const answer = await graph.queryPatchAssessments([first, third]);
  const requestsForAssessments = standIn.requests.length - before;
  const guestConfigurations = await graph.queryGuestConfigurations([first, third]);
  graph.close();
  const expectedRows = (s: number) => Array.from({ length: estate.patchAssessmentRowCount(s) }, (_, k) => estate.patchAssessmentRow(s, k));
  assert.equal(answer.rowsOf(first).length, expectedRows(0).length);
  assert.equal(answer.rowsOf(third).length, expectedRows(2).length);
  assert.equal(answer.rowsOf(estate.subscriptionIds[1] as string).length, 0, 'a subscription not asked for has no rows');
  assert.deepEqual(answer.problemsOf(first), []);
  // 2 × (ceil(237 / 2) + ceil(237 / 16)) = 268 rows: one page of 1,000.
  assert.equal(requestsForAssessments, 1);
  assert.ok(answer.rowsOf(first).some((row) => row.kind === 'patch'));
  assert.deepEqual([guestConfigurations.rowsOf(first), guestConfigurations.problemsOf(first)], [[], []], 'no guest configuration rows: one empty page');
  assert.equal(standIn.requests.length - before, 2);
});

test('synthetic mode answers ARM errors like estate mode', async () => {
  const unknown = await rawGet(standIn, machinesPath('55555555-5555-4555-8555-555555555555'));
  assert.equal(unknown.status, 404);
  assert.equal(errorCode(unknown.body), 'SubscriptionNotFound');
  const subscriptionId = (standIn.synthetic as SyntheticEstate).subscriptionIds[0] as string;
  const badToken = await rawGet(standIn, machinesPath(subscriptionId, '&$skipToken=abc'));
  assert.equal(badToken.status, 400);
  assert.equal(errorCode(badToken.body), 'InvalidSkipToken');
  const widgets = await rawGet(standIn, `/subscriptions/${subscriptionId}/providers/Microsoft.HybridCompute/widgets?api-version=${API_VERSION}`);
  assert.equal(errorCode(widgets.body), 'InvalidResourceType');
  await assert.rejects(startArmStandIn({ pageSize: 10 }), /exactly one/);
});

test('throttling: a burst gets 429 TooManyRequests with Retry-After; the SDK client honours it and succeeds', async () => {
  const throttled = await start({
    synthetic: { subscriptions: 2, machinesPerSubscription: 12, referenceTime: REFERENCE_TIME },
    pageSize: 2,
    throttle: { burst: 5, refillPerSecond: 1 },
  });
  const [first, second] = (throttled.synthetic as SyntheticEstate).subscriptionIds as [string, string];

  const burst = await Promise.all(Array.from({ length: 8 }, () => rawGet(throttled, licensesPath(first))));
  const statuses = burst.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  for (const reply of burst.filter((r) => r.status === 429)) {
    const retryAfter = Number(reply.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${reply.headers['retry-after']}`);
    assert.equal(errorCode(reply.body), 'TooManyRequests');
  }
  assert.ok(burst.some((r) => r.status === 200 && r.headers['x-ms-ratelimit-remaining-subscription-reads'] === '0'));
  assert.equal(throttled.stats.throttled, 3);
  // buckets are per principal and per subscription
  assert.equal((await rawGet(throttled, licensesPath(first), 'another-principal')).status, 200);
  assert.equal((await rawGet(throttled, licensesPath(second))).status, 200);

  // 6 pages for a fresh principal: 5 pass at once, the 6th is throttled once, waits Retry-After (1 s), succeeds.
  const reader = readerFor(throttled, 'sdk-principal');
  const beforeStats = throttled.stats.throttled;
  const started = performance.now();
  const machines = await collectPages(reader.listMachinePages(first));
  const elapsed = performance.now() - started;
  assert.equal(machines.length, 12);
  const sdkThrottled = throttled.stats.throttled - beforeStats;
  assert.equal(sdkThrottled, 1);
  assert.ok(elapsed >= 900, `retried after ${elapsed.toFixed(0)} ms, before Retry-After elapsed`);
  const log = throttled.requests.filter((r) => r.path.endsWith('/machines'));
  const retried = log.findIndex((r) => r.status === 429);
  assert.ok(retried >= 0 && log[retried + 1]?.status === 200 && log[retried + 1]?.query === log[retried]?.query, 'the throttled page was retried');
});

test('faults: error503Rate 1 on a path answers 503 with Retry-After and counts them; other paths are untouched', async () => {
  const faulty = await start({
    synthetic: { subscriptions: 1, machinesPerSubscription: 10, referenceTime: REFERENCE_TIME },
    faults: { error503Rate: 1, pathPattern: '/licenses$' },
  });
  const subscriptionId = (faulty.synthetic as SyntheticEstate).subscriptionIds[0] as string;
  for (let n = 0; n < 3; n++) {
    const reply = await rawGet(faulty, licensesPath(subscriptionId));
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['retry-after'], '1');
    assert.equal(errorCode(reply.body), 'ServiceUnavailable');
  }
  assert.equal((await rawGet(faulty, machinesPath(subscriptionId))).status, 200);
  const stats: ArmStandInStats = faulty.stats;
  assert.equal(stats.faults503, 3);
  assert.equal(stats.byPath['/subscriptions/{s}/providers/microsoft.hybridcompute/licenses']?.faults503, 3);
  assert.equal(stats.byPath['/subscriptions/{s}/providers/microsoft.hybridcompute/machines']?.faults503, 0);
});

test('faults are deterministic and roughly at the configured rates', async () => {
  const options: ArmStandInOptions = {
    synthetic: { subscriptions: 1, machinesPerSubscription: 1000, referenceTime: REFERENCE_TIME },
    pageSize: 5,
    faults: { error503Rate: 0.2, slowPageRate: 0.2, slowPageMs: 20, seed: 42 },
  };
  const run = async () => {
    const faulty = await start(options);
    const subscriptionId = (faulty.synthetic as SyntheticEstate).subscriptionIds[0] as string;
    const statuses = [];
    for (let page = 0; page < 100; page++) statuses.push((await rawGet(faulty, machinesPath(subscriptionId, `&$skipToken=${page * 5}`))).status);
    return { statuses, stats: faulty.stats };
  };
  const [a, b] = [await run(), await run()];
  assert.deepEqual(a.statuses, b.statuses);
  assert.deepEqual(a.stats, b.stats);
  near(a.stats.faults503 / 100, 0.2, 0.1, '503 rate');
  near(a.stats.slowPages / 100, 0.8 * 0.2, 0.1, 'slow page rate');
});

test('the SDK retries an occasional 503 (Retry-After: 1) and the read completes', async () => {
  const faulty = await start({
    synthetic: { subscriptions: 1, machinesPerSubscription: 40, referenceTime: REFERENCE_TIME },
    pageSize: 10,
    faults: { error503Rate: 0.25, seed: 1, pathPattern: '/machines$' },
  });
  const subscriptionId = (faulty.synthetic as SyntheticEstate).subscriptionIds[0] as string;
  const machines = await collectPages(readerFor(faulty).listMachinePages(subscriptionId));
  assert.equal(machines.length, 40);
  assert.equal(faulty.stats.faults503, 2); // deterministic: with fault seed 1 two of the page requests fail once
});

test('a 503 that never clears surfaces as a RestError 503 after the SDK gives up (3 retries, 3 s of Retry-After)', async () => {
  const faulty = await start({ synthetic: { subscriptions: 1, machinesPerSubscription: 1, referenceTime: REFERENCE_TIME }, faults: { error503Rate: 1 } });
  const subscriptionId = (faulty.synthetic as SyntheticEstate).subscriptionIds[0] as string;
  await assert.rejects(collectPages(readerFor(faulty).listMachinePages(subscriptionId)), (e: unknown) => isRestError(e) && e.statusCode === 503);
  assert.equal(faulty.stats.faults503, 4);
});

test('latencyMs adds about that delay to every response', async () => {
  const slow = await start({ synthetic: { subscriptions: 1, machinesPerSubscription: 1, referenceTime: REFERENCE_TIME }, latencyMs: 150 });
  const subscriptionId = (slow.synthetic as SyntheticEstate).subscriptionIds[0] as string;
  await rawGet(slow, machinesPath(subscriptionId)); // warm the TLS session
  const started = performance.now();
  const reply = await rawGet(slow, machinesPath(subscriptionId));
  const elapsed = performance.now() - started;
  assert.equal(reply.status, 200);
  assert.ok(elapsed >= 145 && elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
});

// ---------------------------------------------------------------------------------------------------------
// The process entry

const ENTRY = fileURLToPath(new URL('../../local/armStandInProcess.js', import.meta.url));

async function runProcess(stop: 'SIGTERM' | 'stdin'): Promise<void> {
  const options: ArmStandInOptions = {
    synthetic: { subscriptions: 2, machinesPerSubscription: 30, referenceTime: REFERENCE_TIME },
    pageSize: 10,
    throttle: { burst: 250, refillPerSecond: 25 },
  };
  const child = spawn(process.execPath, [ENTRY, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    assert.equal(first.done, false);
    const { endpoint, ca } = JSON.parse(first.value as string) as { endpoint: string; ca: string };
    assert.match(endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ca, /BEGIN CERTIFICATE/);

    const reader = readerFor({ endpoint, ca });
    const subscriptions = [];
    for await (const s of reader.listSubscriptions()) subscriptions.push(s.subscriptionId);
    assert.equal(subscriptions.length, 2);
    const machines = await collectPages(reader.listMachinePages(subscriptions[0] as string));
    assert.equal(machines.length, 30);

    if (stop === 'SIGTERM') child.kill('SIGTERM');
    else child.stdin.write('stats\n');
    const second = await lines.next();
    assert.equal(second.done, false);
    const stats = JSON.parse(second.value as string) as ArmStandInStats;
    assert.equal(stats.requests, 1 + 3);
    assert.equal(stats.byPath['/subscriptions/{s}/providers/microsoft.hybridcompute/machines']?.requests, 3);
    assert.equal(stats.throttled, 0);
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

test('the process entry prints its endpoint, serves the SDK, and prints stats on SIGTERM', () => runProcess('SIGTERM'));
test('the process entry prints stats and exits on a "stats" line', () => runProcess('stdin'));
