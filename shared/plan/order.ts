/** Ids compared without case, as Azure compares resource ids: the plan's one canonical order. */
export function compareIds(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whole 2-core packs (licenses are attested in 2-core and 16-core packs, license guidelines). */
export function evenUp(cores: number): number {
  return Math.ceil(cores / 2) * 2;
}
