import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HybridComputeManagementClient } from '@azure/arm-hybridcompute';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
// isRestError, not instanceof: arm-hybridcompute 3.x is CommonJS and loads the CJS build of
// core-rest-pipeline, whose RestError is a different class from the ESM one imported here.
import { createPipelineRequest, isRestError } from '@azure/core-rest-pipeline';
import { startArmStandIn, type ArmStandIn } from '../../local/armStandIn.js';

const PAGE_SIZE = 2;
const BIG = '11111111-1111-4111-8111-111111111111'; // 250 machines
const DENIED = '22222222-2222-4222-8222-222222222222'; // error.json: 403 AuthorizationFailed
const BROKEN = '33333333-3333-4333-8333-333333333333'; // malformed machines.json
const LISTED_ONLY = '44444444-4444-4444-8444-444444444444'; // in subscriptions.json, no directory
const UNKNOWN = '55555555-5555-4555-8555-555555555555'; // neither listed nor a directory
const TENANT = '99999999-9999-4999-8999-999999999999';
const MACHINE_COUNT = 250;
const MALFORMED = '{"value": [ {"name": "truncated"';

const credential: TokenCredential = {
  getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Shape of the 2025-01-13 Machines_Get example body, trimmed to the parts a scanner reads. */
function machine(subscriptionId: string, i: number) {
  const name = `arc-ws2012-${String(i).padStart(3, '0')}`;
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/${name}`,
    name,
    location: 'eastus2euap',
    tags: null,
    identity: { type: 'SystemAssigned', principalId: 'string', tenantId: 'string' },
    type: 'Microsoft.HybridCompute/machines',
    kind: null,
    properties: {
      provisioningState: 'Succeeded',
      status: 'Connected',
      osSku: 'Windows Server 2012 R2 Standard',
      osEdition: 'Standard',
      osType: 'windows',
      licenseProfile: {
        licenseStatus: 'Licensed',
        licenseChannel: 'PSG',
        softwareAssurance: { softwareAssuranceCustomer: true },
        esuProfile: {
          licenseAssignmentState: 'Assigned',
          esuEligibility: 'Eligible',
          serverType: 'Standard',
          esuKeyState: 'Active',
          esuKeys: [{ sku: 'skuNumber1', licenseStatus: 1 }],
        },
      },
      vmId: 'b7a098cc-b0b8-46e8-a205-62f301a62a8f',
    },
    resources: [],
  };
}

const subscription = (subscriptionId: string, displayName: string) => ({
  id: `/subscriptions/${subscriptionId}`,
  subscriptionId,
  tenantId: TENANT,
  displayName,
  state: 'Enabled',
  subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  authorizationSource: 'RoleBased',
});

const provider = (subscriptionId: string, namespace: string, registrationState: string) => ({
  id: `/subscriptions/${subscriptionId}/providers/${namespace}`,
  namespace,
  registrationState,
  registrationPolicy: 'RegistrationRequired',
  resourceTypes: [],
});

let estateDir = '';
let standIn: ArmStandIn;

before(async () => {
  estateDir = await mkdtemp(join(tmpdir(), 'arm-estate-'));
  const write = async (rel: string, body: unknown) => {
    await mkdir(join(estateDir, rel, '..'), { recursive: true });
    await writeFile(join(estateDir, rel), typeof body === 'string' ? body : JSON.stringify(body));
  };
  await write('subscriptions.json', {
    // az rest keeps only the first page, so a nextLink in the file must be ignored
    value: [
      subscription(BIG, 'Big'),
      subscription(DENIED, 'Denied'),
      subscription(BROKEN, 'Broken'),
      subscription(LISTED_ONLY, 'Listed only'),
      subscription('66666666-6666-4666-8666-666666666666', 'Fifth'),
    ],
    nextLink: 'https://management.azure.com/subscriptions?api-version=2022-12-01&$skipToken=xyz',
  });
  await write(`${BIG}/providers.json`, {
    value: [provider(BIG, 'Microsoft.HybridCompute', 'Registered'), provider(BIG, 'Microsoft.GuestConfiguration', 'NotRegistered')],
  });
  await write(`${BIG}/machines.json`, { value: Array.from({ length: MACHINE_COUNT }, (_, i) => machine(BIG, i)) });
  await write(`${DENIED}/error.json`, {
    status: 403,
    body: {
      error: {
        code: 'AuthorizationFailed',
        message: `The client does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/${DENIED}'.`,
      },
    },
  });
  await write(`${BROKEN}/machines.json`, MALFORMED);
  standIn = await startArmStandIn({ estateDir, pageSize: PAGE_SIZE });
});

after(async () => {
  await standIn?.close();
  if (estateDir) await rm(estateDir, { recursive: true, force: true });
});

// credentialScopes: without it the arm-resources clients ask for `${endpoint}/.default`.
const clientOptions = () => ({
  endpoint: standIn.endpoint,
  credentialScopes: ['https://management.azure.com/.default'],
  tlsOptions: { ca: standIn.ca },
});

function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${standIn.endpoint}${path}`, { method: 'GET', headers, ca: standIn.ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listMachines(client: HybridComputeManagementClient, subscriptionId: string) {
  const machines: Array<{ name: string }> = [];
  let url: string | undefined =
    `${standIn.endpoint}/subscriptions/${subscriptionId}/providers/Microsoft.HybridCompute/machines?api-version=2025-01-13`;
  while (url) {
    const response = await client.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    assert.equal(response.status, 200, response.bodyAsText ?? '');
    const page = JSON.parse(response.bodyAsText ?? '') as { value: Array<{ name: string }>; nextLink?: string };
    machines.push(...page.value);
    url = page.nextLink;
  }
  return machines;
}

test('SubscriptionClient lists every subscription across pages', async () => {
  const before = standIn.requests.length;
  const client = new SubscriptionClient(credential, clientOptions());
  const subscriptions = [];
  for await (const s of client.subscriptions.list()) subscriptions.push(s);
  assert.deepEqual(
    subscriptions.map((s) => s.subscriptionId),
    [BIG, DENIED, BROKEN, LISTED_ONLY, '66666666-6666-4666-8666-666666666666'],
  );
  assert.equal(subscriptions[0]?.state, 'Enabled');
  const served = standIn.requests.slice(before);
  assert.equal(served.length, Math.ceil(5 / PAGE_SIZE));
  assert.ok(served.every((r) => r.status === 200 && r.path === '/subscriptions'));
});

test('ResourceManagementClient lists providers with registrationState', async () => {
  const client = new ResourceManagementClient(credential, BIG, clientOptions());
  const providers = [];
  for await (const p of client.providers.list()) providers.push(p);
  assert.deepEqual(
    providers.map((p) => [p.namespace, p.registrationState]),
    [
      ['Microsoft.HybridCompute', 'Registered'],
      ['Microsoft.GuestConfiguration', 'NotRegistered'],
    ],
  );
});

test('HybridComputeManagementClient pipeline reads all 250 machines page by page', async () => {
  const before = standIn.requests.length;
  const client = new HybridComputeManagementClient(credential, BIG, clientOptions());
  const machines = await listMachines(client, BIG);
  assert.equal(machines.length, MACHINE_COUNT);
  assert.equal(new Set(machines.map((m) => m.name)).size, MACHINE_COUNT);
  const served = standIn.requests.slice(before);
  assert.equal(served.length, Math.ceil(MACHINE_COUNT / PAGE_SIZE));
  assert.ok(served.every((r) => r.status === 200 && r.query.includes('api-version=2025-01-13')));
});

test('listed subscription without a directory answers empty lists', async () => {
  const client = new HybridComputeManagementClient(credential, LISTED_ONLY, clientOptions());
  assert.deepEqual(await listMachines(client, LISTED_ONLY), []);
});

test('error.json answers its status and ARM error code through the SDK', async () => {
  const client = new ResourceManagementClient(credential, DENIED, clientOptions());
  await assert.rejects(
    async () => {
      for await (const p of client.providers.list()) void p;
    },
    (err: unknown) => isRestError(err) && err.statusCode === 403 && err.code === 'AuthorizationFailed',
  );
});

test('unknown subscription answers 404 SubscriptionNotFound', async () => {
  const client = new ResourceManagementClient(credential, UNKNOWN, clientOptions());
  await assert.rejects(
    async () => {
      for await (const p of client.providers.list()) void p;
    },
    (err: unknown) => isRestError(err) && err.statusCode === 404 && err.code === 'SubscriptionNotFound',
  );
});

test('missing Authorization answers 401, missing api-version answers 400', async () => {
  const noAuth = await rawGet('/subscriptions?api-version=2022-12-01', {});
  assert.equal(noAuth.status, 401);
  assert.equal((JSON.parse(noAuth.body) as { error: { code: string } }).error.code, 'AuthenticationFailed');

  const noVersion = await rawGet('/subscriptions', { authorization: 'Bearer x' });
  assert.equal(noVersion.status, 400);
  assert.equal((JSON.parse(noVersion.body) as { error: { code: string } }).error.code, 'MissingApiVersionParameter');

  const unknownRoute = await rawGet(`/SUBSCRIPTIONS/${BIG}/providers/Microsoft.HybridCompute/widgets/?api-version=1`, {
    authorization: 'Bearer x',
  });
  assert.equal(unknownRoute.status, 404);
  assert.equal((JSON.parse(unknownRoute.body) as { error: { code: string } }).error.code, 'InvalidResourceType');
});

test('malformed machines.json is served raw with 200', async () => {
  const path = `/subscriptions/${BROKEN}/providers/microsoft.hybridcompute/MACHINES/?api-version=2025-01-13`;
  const raw = await rawGet(path, { authorization: 'Bearer x' });
  assert.equal(raw.status, 200);
  assert.equal(raw.body, MALFORMED);
  assert.throws(() => JSON.parse(raw.body), SyntaxError);

  // The client pipeline's deserialization policy parses every JSON response, even in sendRequest, so a
  // malformed 200 surfaces as a RestError (code PARSE_ERROR, statusCode 200) rather than as a response.
  const client = new HybridComputeManagementClient(credential, BROKEN, clientOptions());
  await assert.rejects(
    client.sendRequest(createPipelineRequest({ url: `${standIn.endpoint}${path}`, method: 'GET' })),
    (err: unknown) =>
      isRestError(err) &&
      err.code === 'PARSE_ERROR' &&
      err.statusCode === 200 &&
      err.response?.headers.get('content-type') === 'application/json; charset=utf-8' &&
      Boolean(err.response.headers.get('x-ms-request-id')),
  );
});
