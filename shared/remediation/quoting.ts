/** Quoting for values put into command lines, so a pasted command means what it says in its shell. */

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** A bash word: as is when it needs no quoting, else in single quotes. */
export function shArg(value: string): string {
  return SAFE.test(value) && !value.includes('://') ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A PowerShell argument: as is when it needs no quoting, else in single quotes. */
export function psArg(value: string): string {
  return SAFE.test(value) && !value.includes('://') ? value : `'${value.replaceAll("'", "''")}'`;
}

/** Always quoted: URLs (`?` and `&` are special to shells) and JSON bodies. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function psQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
