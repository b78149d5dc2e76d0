import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** One subscription's scan in a run: the queue message the timer sends, and what the CLI's plan makes. */
export interface ScanRequest {
  readonly scanId: string;
  readonly subscriptionId: string;
  /** When the run started: the time its scans evaluate at (unless an as-of is set) and record. */
  readonly requestedAt: string;
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const scanRequestSchema = z.object({
  scanId: z.string().regex(/^scan-[0-9A-Za-z-]{1,80}$/, 'scanId must look like scan-<time>-<random>'),
  subscriptionId: z.string().regex(SUBSCRIPTION_ID, 'subscriptionId must be a GUID'),
  requestedAt: z.iso.datetime(),
});

/** A queue message that is not a scan request; never retried into success, so it should go to poison. */
export class InvalidScanRequestError extends Error {
  override readonly name = 'InvalidScanRequestError';
}

export function parseScanRequest(message: unknown): ScanRequest {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch {
      throw new InvalidScanRequestError('scan request is not JSON');
    }
  }
  const parsed = scanRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
    throw new InvalidScanRequestError(`invalid scan request: ${issues}`);
  }
  return parsed.data;
}

export function isSubscriptionId(value: string): boolean {
  return SUBSCRIPTION_ID.test(value);
}

/** Sortable by time, unique by its random tail, and safe as a Table key. */
export function newScanId(now: Date, random: string = randomBytes(4).toString('hex')): string {
  return `scan-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${random}`;
}
