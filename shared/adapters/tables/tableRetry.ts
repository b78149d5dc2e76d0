import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type PipelineRetryOptions } from '@azure/core-rest-pipeline';

/**
 * How every Table call rides out a busy or flaky storage account: the pipeline's own retry policy (exponential
 * back-off with jitter, `Retry-After` honoured on 429 and 503) for 408, 429, 500, 503 and dropped connections,
 * on the SDK clients and on the raw `$batch` and query calls alike (they go through the same pipeline).
 * Azure Table Storage's guidance is to retry `503 ServerBusy` and `500 OperationTimedOut` with back-off.
 */
export interface TableResilience {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First back-off; each retry doubles it (with jitter), up to `maxRetryDelayInMs`. */
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
  /** One attempt that has not answered in this time is abandoned and retried (a black-holed endpoint never answers). */
  readonly attemptTimeoutMs: number;
  /** After failing this long, a request makes its last attempt. */
  readonly deadlineMs: number;
}

/**
 * Ten retries over about a minute of back-off ride out a busy account (0.25 s doubling to 16 s); a request
 * still failing after 2 minutes gives up. The longest a request can take before its error is therefore the
 * deadline, plus one more back-off and attempt: 120 + 16 + 30 = 166 s, under 3 minutes.
 */
export const DEFAULT_TABLE_RESILIENCE: TableResilience = {
  maxRetries: 10,
  retryDelayInMs: 250,
  maxRetryDelayInMs: 16_000,
  attemptTimeoutMs: 30_000,
  deadlineMs: 120_000,
};

/** The longest one request can take before it fails (see `DEFAULT_TABLE_RESILIENCE`). */
export function worstCaseMs(resilience: TableResilience): number {
  return resilience.deadlineMs + resilience.maxRetryDelayInMs + resilience.attemptTimeoutMs;
}

/** The table clients' options: the pipeline's retry policy with these figures, and the policy below inside it. */
export function tableClientOptions(resilience: TableResilience = DEFAULT_TABLE_RESILIENCE): { retryOptions: PipelineRetryOptions; additionalPolicies: { policy: PipelinePolicy; position: 'perRetry' }[] } {
  return {
    retryOptions: { maxRetries: resilience.maxRetries, retryDelayInMs: resilience.retryDelayInMs, maxRetryDelayInMs: resilience.maxRetryDelayInMs },
    additionalPolicies: [{ policy: tableResiliencePolicy(resilience), position: 'perRetry' }],
  };
}

/** The statuses retried: request timeout, throttling, the service's internal error and busy answers, and gateway failures. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Network errors core-rest-pipeline's exponential strategy retries as they are. */
const RETRIED_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ENOTFOUND']);
/** Network errors it does not know, just as transient: a DNS server that did not answer, a socket closed while writing. */
const OTHER_TRANSIENT_CODES = new Set(['EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The Table storage account could not be used: not reachable, or every retry failed, or the identity may not
 * use it. Names the operation, the endpoint and what to check; `statusCode` is the last answer's, if any.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(message: string, readonly endpoint: string, readonly statusCode?: number, readonly code?: string) {
    super(message);
  }
}

interface Attempts {
  readonly started: number;
  count: number;
}

/**
 * A per-retry policy, inside the retry policy's loop: gives each attempt a timeout, turns what the retry
 * policy would not retry but is transient into something it retries (a timed-out attempt, a socket closed
 * while the answer was read, a 429 without `Retry-After`), and once the retries are spent or the deadline has
 * passed, or on a refusal no retry can fix (401, 403), throws a `StorageUnavailableError` naming the
 * operation and the endpoint. Anything else (404, 409, 412, 400 …) is the caller's to handle, untouched.
 */
export function tableResiliencePolicy(resilience: TableResilience = DEFAULT_TABLE_RESILIENCE): PipelinePolicy {
  const { maxRetries, deadlineMs, attemptTimeoutMs } = resilience;
  const attemptsOf = new WeakMap<PipelineRequest, Attempts>();
  return {
    name: 'tableResiliencePolicy',
    async sendRequest(request, next): Promise<PipelineResponse> {
      let attempts = attemptsOf.get(request);
      if (!attempts) {
        attempts = { started: Date.now(), count: 0 };
        attemptsOf.set(request, attempts);
      }
      attempts.count += 1;
      const last = attempts.count > maxRetries || Date.now() - attempts.started > deadlineMs;
      // The attempt's own timeout, as an abort signal it clears (the HTTP client's `timeout` leaves its timer
      // running after a failed attempt, which would hold a process open for that long).
      const callerSignal = request.abortSignal;
      const timer = new AbortController();
      const timeout = setTimeout(() => timer.abort(), attemptTimeoutMs);
      const forward = (): void => timer.abort();
      callerSignal?.addEventListener('abort', forward);
      request.abortSignal = timer.signal;
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        const transient = transientError(error, timer.signal.aborted && !callerSignal?.aborted ? attemptTimeoutMs : undefined);
        if (!transient) throw error;
        if (last) throw unavailable(request, attempts, transient.message, undefined, transient.code);
        throw transient;
      } finally {
        clearTimeout(timeout);
        callerSignal?.removeEventListener('abort', forward);
        request.abortSignal = callerSignal;
      }
      if (response.status === 401 || response.status === 403) throw unavailable(request, attempts, serviceMessage(response), response.status, 'access');
      if (!TRANSIENT_STATUSES.has(response.status)) return response;
      if (last) throw unavailable(request, attempts, serviceMessage(response), response.status);
      if (response.status === 429 && !hasRetryAfter(response)) {
        // The exponential strategy leaves 429 to the throttling one, which needs a Retry-After: give it the back-off.
        response.headers.set('retry-after-ms', String(Math.min(resilience.maxRetryDelayInMs, resilience.retryDelayInMs * 2 ** attempts.count)));
      }
      return response;
    },
  };
}

/** The error as the retry policy should see it when it is transient (a `RestError` with a network code); undefined otherwise. */
function transientError(error: unknown, timedOutAfterMs: number | undefined): RestError | undefined {
  // Our own attempt timeout, not a caller's cancellation.
  if (timedOutAfterMs !== undefined) return new RestError(`no answer within ${timedOutAfterMs / 1000} s`, { code: 'ETIMEDOUT' });
  if (!(error instanceof RestError)) return undefined;
  if (error.code !== undefined && RETRIED_CODES.has(error.code)) return error;
  if (error.code !== undefined && OTHER_TRANSIENT_CODES.has(error.code)) return new RestError(`${error.message} (${error.code})`, { code: 'ECONNRESET' });
  // A connection closed while the answer was being read: nothing was learned, ask again.
  if (error.code === RestError.PARSE_ERROR && /aborted|ECONNRESET|socket hang up|terminated/i.test(error.message)) {
    return new RestError(error.message, { code: 'ECONNRESET' });
  }
  if (error.code === RestError.REQUEST_SEND_ERROR) return new RestError(error.message, { code: 'ECONNRESET' });
  return undefined;
}

function hasRetryAfter(response: PipelineResponse): boolean {
  return response.headers.has('retry-after') || response.headers.has('retry-after-ms') || response.headers.has('x-ms-retry-after-ms');
}

/** The service's own words, when its error body says them. */
function serviceMessage(response: PipelineResponse): string {
  const text = response.bodyAsText ?? '';
  const code = /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  const message = /"value"\s*:\s*"([^"\\]*)/.exec(text)?.[1] ?? /<Message>([^<\n]+)/.exec(text)?.[1];
  return [`status ${response.status}`, code, message].filter(Boolean).join(' ');
}

/** `POST /$batch` or `GET /esufindings()`: what was asked, without query strings (they may carry filters). */
export function operationOf(request: PipelineRequest): string {
  const url = new URL(request.url);
  const path = decodeURIComponent(url.pathname).replace(/\(PartitionKey=.*$/, '(…)');
  return `${request.method} ${path}`;
}

function unavailable(request: PipelineRequest, attempts: Attempts, cause: string, statusCode?: number, code?: string): StorageUnavailableError {
  const endpoint = new URL(request.url).origin;
  const seconds = Math.round((Date.now() - attempts.started) / 1000);
  const check = code === 'access'
    ? `check that the identity the scanner runs as holds "Storage Table Data Contributor" on the storage account (role assignments can take minutes to apply), or that the connection string's key is current`
    : `check that the host name resolves (DNS, private endpoint zone), that the account's firewall and network rules let this host in, and that the account exists`;
  const what = code === 'access' ? `was refused (${cause})` : `failed after ${attempts.count} attempt(s) over ${seconds} s (last: ${cause})`;
  return new StorageUnavailableError(`Table storage at ${endpoint}: ${operationOf(request)} ${what}; ${check}.`, endpoint, statusCode, code);
}
