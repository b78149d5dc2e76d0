import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest, isRestError, RestError } from '@azure/core-rest-pipeline';
import { HybridComputeManagementClient } from '@azure/arm-hybridcompute';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { asRecord } from '../../domain/read.js';
import { MalformedResponseError } from '../../scan/readErrors.js';
import { followPages, listPageOf, type ListPage } from './armList.js';
import { armThrottlePolicies, ReadBudgets, SDK_MAX_RETRIES, type ReadBudget } from './armThrottle.js';
import type { ArmLists, ArmWaitListener } from '../../scan/armPorts.js';

/** Token audience of public-cloud ARM; a stand-in on loopback accepts tokens for it too. */
export const PUBLIC_ARM_AUDIENCE = 'https://management.azure.com';

/** Microsoft.Authorization policy assignments: a stable version whose shape the estate format documents. */
export const POLICY_API_VERSION = '2023-04-01';


export interface ArmConnection {
  /** https://management.azure.com, or a stand-in. */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** Extra CA (PEM) to trust, for a loopback stand-in only. */
  readonly trustedCa?: string;
  /** Needs 2024-07-10 or later for licenses and `licenseProfile`. */
  readonly hybridComputeApiVersion: string;
  /** Defaults to the endpoint's origin (right for public and sovereign clouds). */
  readonly tokenAudience?: string;
  /** ARM's read budget per subscription (default 250 burst, 25/s). */
  readonly readBudget?: ReadBudget;
  /** Hears each wait on ARM (throttling, retries, the read budget), for progress reports. */
  readonly onWait?: ArmWaitListener;
}

export interface SubscriptionInfo {
  readonly subscriptionId: string;
  readonly displayName?: string;
  readonly state?: string;
}

/** The scan's ARM lists (see `ArmLists`), with what the benchmark and the CLI read besides. */
export interface ArmReader extends ArmLists {
  /** Requests sent and 429 answers seen, for the benchmark's figures. */
  readonly metrics: { readonly throttled: number };
  listSubscriptions(): AsyncIterable<SubscriptionInfo>;
}

/**
 * Reads ARM through the Azure SDK clients. `@azure/arm-hybridcompute` 3.0.0 is pinned to an
 * api-version without licenses, so machines and licenses go through that client's own pipeline
 * (auth, retries, throttling) with a newer api-version.
 */
export function createArmReader(connection: ArmConnection): ArmReader {
  const endpoint = connection.endpoint.replace(/\/+$/, '');
  const budgets = new ReadBudgets(connection.readBudget);
  const throttle = armThrottlePolicies(budgets, { onWait: connection.onWait });
  const clientOptions = {
    retryOptions: { maxRetries: SDK_MAX_RETRIES },
    additionalPolicies: [
      { policy: throttle.perCall, position: 'perCall' as const },
      { policy: throttle.perRetry, position: 'perRetry' as const },
    ],
    endpoint,
    // Explicit, so the token audience never silently follows a non-ARM endpoint.
    credentialScopes: [`${new URL(connection.tokenAudience ?? endpoint).origin}/.default`],
    ...(connection.trustedCa ? { tlsOptions: { ca: connection.trustedCa } } : {}),
  };
  // The api-versions the Resources SDKs themselves use; their pagers read a `{}` body as an empty list, ours refuse it.
  const subscriptionsApiVersion = new SubscriptionClient(connection.credential, clientOptions).apiVersion;
  const hybridCompute = new HybridComputeManagementClient(connection.credential, 'unused', clientOptions);
  const providersApiVersion = new ResourceManagementClient(connection.credential, 'unused', clientOptions).apiVersion;

  async function getPage(url: string): Promise<ListPage> {
    let response;
    try {
      response = await hybridCompute.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    } catch (error) {
      // core-client parses every JSON body and rejects a malformed 2xx with PARSE_ERROR.
      if (isRestError(error) && error.code === 'PARSE_ERROR' && (error.statusCode ?? 200) < 400) {
        throw new MalformedResponseError(url, 'response body is not JSON');
      }
      throw error;
    }
    let body: unknown = (response as { parsedBody?: unknown }).parsedBody;
    if (body === undefined) {
      try {
        body = JSON.parse(response.bodyAsText ?? '');
      } catch {
        if (response.status >= 400) throw new RestError(`ARM answered ${response.status}`, { statusCode: response.status, code: `Http${response.status}` });
        throw new MalformedResponseError(url, 'response body is not JSON');
      }
    }
    if (response.status >= 400) {
      const error = asRecord(asRecord(body)?.['error']);
      const code = typeof error?.['code'] === 'string' ? error['code'] : `Http${response.status}`;
      const message = typeof error?.['message'] === 'string' ? error['message'] : `ARM answered ${response.status}`;
      throw new RestError(message, { statusCode: response.status, code });
    }
    return listPageOf(body, url);
  }

  const pages = (path: string, apiVersion = connection.hybridComputeApiVersion): AsyncIterable<unknown[]> =>
    followPages(`${endpoint}${path}?api-version=${apiVersion}`, getPage);

  async function collect(iterable: AsyncIterable<unknown[]>): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const page of iterable) items.push(...page);
    return items;
  }

  return {
    get metrics() {
      return { throttled: budgets.throttled };
    },
    async *listSubscriptions() {
      for await (const page of pages('/subscriptions', subscriptionsApiVersion)) {
        for (const item of page) {
          const subscription = asRecord(item);
          const subscriptionId = subscription?.['subscriptionId'];
          if (typeof subscriptionId !== 'string' || subscriptionId.length === 0) continue; // a null or id-less item is no subscription
          const displayName = subscription?.['displayName'];
          const state = subscription?.['state'];
          yield { subscriptionId, displayName: typeof displayName === 'string' ? displayName : undefined, state: typeof state === 'string' ? state : undefined };
        }
      }
    },
    listProviders: (subscriptionId) => collect(pages(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers`, providersApiVersion)),
    listLicenses: (subscriptionId) =>
      collect(pages(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.HybridCompute/licenses`)),
    listMachinePages: (subscriptionId, resourceGroup) =>
      pages(`/subscriptions/${encodeURIComponent(subscriptionId)}${resourceGroup === undefined ? '' : `/resourceGroups/${encodeURIComponent(resourceGroup)}`}/providers/Microsoft.HybridCompute/machines`),
    listResourceGroups: (subscriptionId) => collect(pages(`/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups`, providersApiVersion)),
    // Through the same pipeline, not @azure/arm-policy's list: its deserialiser turns a body without a "value"
    // array into an empty list, and a missing Deny assignment must never be inferred from a malformed answer.
    listPolicyAssignments: (subscriptionId) =>
      collect(pages(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Authorization/policyAssignments`, POLICY_API_VERSION)),
  };
}
