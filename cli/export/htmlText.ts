const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from ARM, storage or settings as HTML text or a quoted attribute value: shown, never parsed as markup. */
export function escapeHtml(text: string | number | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}
