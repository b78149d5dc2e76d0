import { isRestError } from '@azure/core-rest-pipeline';

/** ARM answered 2xx with a body that is not the documented shape. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  readonly code = 'MalformedResponse';
  constructor(readonly url: string, detail: string) {
    super(`${detail} (${redactQuery(url)})`);
  }
}

export interface ReadErrorFacts {
  readonly statusCode?: number;
  readonly code: string;
  readonly detail: string;
}

/** Reduces any failure of a read to the facts a finding reports; never includes tokens or headers. */
export function describeReadError(error: unknown): ReadErrorFacts {
  if (error instanceof MalformedResponseError) return { code: error.code, detail: error.message };
  // isRestError, not instanceof: CommonJS and ESM SDK packages load different copies of the class.
  if (isRestError(error)) {
    return { statusCode: error.statusCode, code: error.code ?? `Http${error.statusCode ?? ''}`, detail: firstLine(error.message) };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : error.name, detail: firstLine(error.message) };
  }
  return { code: 'UnknownError', detail: String(error) };
}

/** Error codes that mean the whole subscription is unreadable, so its other lists are not tried. */
export function isSubscriptionWide(facts: ReadErrorFacts): boolean {
  return facts.statusCode === 401 || facts.statusCode === 403 || facts.statusCode === 404;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 500);
}

function redactQuery(url: string): string {
  return url.split('?')[0] ?? url;
}
