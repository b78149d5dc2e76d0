// eslint-disable-next-line no-control-regex -- control characters (ANSI escapes start with ESC) are exactly what must go
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text from ARM, storage or the bus as it may reach a terminal: control characters (escape sequences
 * included) become `?`, so nothing printed can move the cursor, recolour or rewrite the screen.
 * Tabs and newlines stay.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '?');
}
