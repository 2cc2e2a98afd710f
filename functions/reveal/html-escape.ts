// Every value put into the reveal page goes through here: codes come from suppliers and imports and
// may hold any character, and the page sits under a strict CSP only as a second line of defence.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
