/**
 * Limits the Functions host enforces, as host.json sets them (test/config/settings.test.ts keeps the two equal).
 * Flex Consumption lets an execution finish for up to 60 minutes when an instance scales in, so a scan may run
 * that long; a 100,000-machine subscription under ARM throttling can need more than the default 30.
 */
export const FUNCTION_TIMEOUT_MS = 60 * 60_000;

/** A claim (subscription or run finish) older than this belongs to an execution the host has ended. */
export const CLAIM_TIMEOUT_MS = FUNCTION_TIMEOUT_MS + 5 * 60_000;
