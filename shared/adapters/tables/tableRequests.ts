import { createDefaultHttpClient, RestError, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * What the two Table calls sent through a TableClient's pipeline without its operation code share (entity
 * transactions and the stored-state query): one HTTP client, the loopback rule and the service's errors.
 */
export const tableHttpClient: HttpClient = createDefaultHttpClient();

/** Plain HTTP is allowed only to a loopback emulator, as the table clients themselves allow. */
export function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]');
}

/** A `RestError` from the service's error body (`odata.error`), or from the status alone when there is none. */
export function tableError(text: string, statusCode: number, what: string): RestError {
  const body = /\{.*\}/s.exec(text)?.[0];
  let code: string | undefined;
  let message = `${what} failed with status ${statusCode}`;
  try {
    const error = (JSON.parse(body ?? '') as { 'odata.error'?: { code?: string; message?: { value?: string } } })['odata.error'];
    code = error?.code;
    message = error?.message?.value ?? message;
  } catch {
    // no JSON error body: keep the status alone
  }
  return new RestError(message, { statusCode, ...(code ? { code } : {}) });
}
