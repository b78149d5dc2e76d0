/**
 * Every key of `T`, optional ones included (their value may be undefined). Hot paths build objects
 * field by field under this type instead of `{ ...source, more }`: V8 copies a spread object and then
 * adds the new fields slowly (measured: 19 µs → 2 µs per machine), and this type still makes the
 * compiler name any field a copy forgets.
 */
export type EveryField<T> = { [K in keyof Required<T>]: T[K] };
