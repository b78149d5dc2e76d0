/**
 * A stand-in subject for rendering commands with placeholders: every property is a string `<name>` that
 * also has properties of its own (`entry.license.name` → `<name>`), so builders see text everywhere.
 */
export function placeholder(name: string): unknown {
  const text = `<${name}>`;
  return new Proxy({}, {
    get(target, property) {
      if (property === Symbol.toPrimitive || property === 'toJSON') return () => text;
      if (typeof property === 'symbol') return Reflect.get(target, property);
      const own = (String.prototype as unknown as Record<string, unknown>)[property];
      if (typeof own === 'function') return (own as (...args: unknown[]) => unknown).bind(text);
      if (property === 'length') return text.length;
      return placeholder(property);
    },
  });
}
