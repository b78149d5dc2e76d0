import { hash } from 'node:crypto';
import type { Evidence, Finding } from '../domain/findings.js';

/**
 * Evidence that moves with the clock alone: it stays in the message and the stored evidence, but the passing
 * of time is not news, so it is left out of the fingerprint (and a stored row whose only change is one of
 * these is rewritten at most once a day, see `rowDigest`). Where each comes from:
 * - `daysLeft`: days until the program's end of support (`programEvidence` and the rules that copy it);
 * - `ageDays`: age of the latest Update Manager assessment (`ESU.Machine.PatchAssessmentCurrent`);
 * - `duration`, `disconnectedHours`: time since a machine disconnected (`ESU.Machine.Connected`).
 * What time should tell people is a stated transition instead: a deadline stage crossed (`deadlineStageOf`),
 * or a rule's own outcome changing at its threshold (an assessment turning stale, a disconnection outlasting its grace).
 */
export const ELAPSED_EVIDENCE: ReadonlySet<string> = new Set(['daysLeft', 'ageDays', 'duration', 'disconnectedHours']);

/** The elapsed-time evidence that counts down to a deadline: its stage, not its value, is part of the decision. */
const COUNTDOWN = 'daysLeft';

/** Days before an end of support at which an open alert escalates, and 0: the day it is reached. */
export const DEFAULT_DEADLINE_ESCALATION_DAYS: readonly number[] = [30, 14, 7, 1, 0];

/** Thresholds above this many days are not stages (the stage takes two bytes of the fingerprint, see `fingerprintOf`). */
const MAX_STAGE_DAYS = 1_000;
const NO_STAGE = 'ffff';
/** Marks a fingerprint of this scheme: an older one (a hash of the whole evidence, time included) is re-taken silently. */
const SCHEME = 'd1';
const CURRENT = new RegExp(`^[0-9a-f]{10}${SCHEME}[0-9a-f]{4}$`);

/**
 * The deadline stage of a finding's evidence: the smallest escalation threshold its days left are within
 * (30 → "within 30 days", 0 → "end of support reached"); undefined before the first or without a countdown.
 */
export function deadlineStageOf(evidence: Evidence, thresholds: readonly number[]): number | undefined {
  const daysLeft = evidence[COUNTDOWN];
  if (typeof daysLeft !== 'number') return undefined;
  let stage: number | undefined;
  for (const threshold of thresholds) if (daysLeft <= threshold && (stage === undefined || threshold < stage)) stage = threshold;
  return stage;
}

/**
 * The decision a finding stands for, as 16 hex digits: 40 bits of a hash of its result, message id and
 * evidence without elapsed time; the scheme mark; and its deadline stage (4 digits, `ffff` for none), kept
 * apart so that a stage crossed alone reads as an escalation (`compareFingerprints`).
 */
export function fingerprintOf(finding: Pick<Finding, 'result' | 'messageId' | 'evidence'>, thresholds: readonly number[] = DEFAULT_DEADLINE_ESCALATION_DAYS): string {
  const evidence: [string, unknown][] = [];
  for (const key of Object.keys(finding.evidence).sort()) if (!ELAPSED_EVIDENCE.has(key)) evidence.push([key, finding.evidence[key] ?? null]);
  const decision = hash('sha256', JSON.stringify([finding.result, finding.messageId, evidence]), 'buffer').toString('hex', 0, 5);
  const stage = deadlineStageOf(finding.evidence, thresholds);
  const stageText = stage === undefined || stage < 0 || stage > MAX_STAGE_DAYS ? NO_STAGE : Math.floor(stage).toString(16).padStart(4, '0');
  return `${decision}${SCHEME}${stageText}`;
}

/**
 * How a stored fingerprint relates to a new one: `same`; `escalated` (the same decision, a nearer deadline
 * stage); `changed`; or `older` (the stored one predates this scheme, so the two cannot be compared).
 */
export function compareFingerprints(stored: string, next: string): 'same' | 'escalated' | 'changed' | 'older' {
  if (stored === next) return 'same';
  if (!isCurrentFingerprint(stored)) return 'older';
  if (stored.slice(0, 10) !== next.slice(0, 10)) return 'changed';
  return stageDays(next) < stageDays(stored) ? 'escalated' : 'changed';
}

/** A fingerprint of this scheme: the mark, and a stage that is a threshold or none. */
export function isCurrentFingerprint(fingerprint: string): boolean {
  return CURRENT.test(fingerprint) && (fingerprint.endsWith(NO_STAGE) || stageDays(fingerprint) <= MAX_STAGE_DAYS);
}

function stageDays(fingerprint: string): number {
  const text = fingerprint.slice(12);
  return text === NO_STAGE ? Number.POSITIVE_INFINITY : Number.parseInt(text, 16);
}

/** Evidence holds a value that changes with the clock alone (the row's text then says "as of" its evaluation). */
export function hasElapsedEvidence(evidence: Evidence): boolean {
  for (const key of ELAPSED_EVIDENCE) {
    const value = evidence[key];
    if (value !== undefined && value !== null) return true;
  }
  return false;
}
