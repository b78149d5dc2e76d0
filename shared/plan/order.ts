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

/** Texts compared as they are spelled (no lower-cased copies: used on 100,000 machine ids). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Items by key, each list in the items' order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** A function of a few distinct texts (subscriptions, regions, targets), worked out once per text. */
export class Memo {
  private readonly known = new Map<string, string>();

  constructor(private readonly compute: (text: string) => string) {}

  of(text: string): string {
    let value = this.known.get(text);
    if (value === undefined) {
      value = this.compute(text);
      this.known.set(text, value);
    }
    return value;
  }
}
