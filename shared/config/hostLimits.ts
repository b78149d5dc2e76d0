/**
 * Limits the Functions host enforces, as host.json sets them (test/config/settings.test.ts keeps the two equal).
 * Flex Consumption lets an execution finish for up to 60 minutes when an instance scales in, so a scan may run
 * that long; a 100,000-machine subscription under ARM throttling can need more than the default 30.
 */
export const FUNCTION_TIMEOUT_MS = 60 * 60_000;

/** A claim (subscription or run finish) older than this belongs to an execution the host has ended. */
export const CLAIM_TIMEOUT_MS = FUNCTION_TIMEOUT_MS + 5 * 60_000;

/**
 * How long a run may stay open before the relay finishes it with what was read. Every scan gets up to
 * maxDequeueCount deliveries of FUNCTION_TIMEOUT_MS each, plus time waiting in the queue behind the others; 20 hours
 * leaves room for that and still closes the run before the next daily one starts (default schedule 03:00 UTC).
 */
export const RUN_DEADLINE_MS = 20 * 60 * 60_000;
