import { z } from 'zod';
import type { Suppression } from './suppression.js';

/** The file `esu-scan suppress export` writes and `import` reads: every suppression, ids and dates kept. */
export const SUPPRESSION_EXPORT_FORMAT = 'esu-scan-suppressions';

const suppressionSchema = z.object({
  // eslint-disable-next-line no-control-regex -- Table row keys forbid control characters, / \ # and ?
  id: z.string().min(1).max(200).regex(/^[^/\\#?\u0000-\u001f\u007f-\u009f]+$/, 'id must be usable as a Table row key'),
  ruleId: z.string().min(1).optional(),
  resourceId: z.string().min(1).optional(),
  reason: z.string().min(1),
  owner: z.string().min(1),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
}).refine((s) => s.ruleId !== undefined || s.resourceId !== undefined, 'a suppression names a rule, a resource or both');

const exportSchema = z.object({
  format: z.literal(SUPPRESSION_EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.iso.datetime(),
  suppressions: z.array(suppressionSchema),
});

export type SuppressionExport = z.infer<typeof exportSchema>;

export function suppressionExport(suppressions: readonly Suppression[], now: Date): SuppressionExport {
  return { format: SUPPRESSION_EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), suppressions: [...suppressions] };
}

export class InvalidSuppressionExportError extends Error {
  override readonly name = 'InvalidSuppressionExportError';
}

/** The suppressions of an export file; every problem named by its place in the file. */
export function parseSuppressionExport(text: string): Suppression[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidSuppressionExportError('not JSON');
  }
  const parsed = exportSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidSuppressionExportError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; '));
  }
  return parsed.data.suppressions.map((s) => ({
    id: s.id,
    ...(s.ruleId ? { ruleId: s.ruleId } : {}),
    ...(s.resourceId ? { resourceId: s.resourceId } : {}),
    reason: s.reason,
    owner: s.owner,
    expiresAt: s.expiresAt,
    createdAt: s.createdAt,
  }));
}
