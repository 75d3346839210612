/**
 * Quoting of one string as JSON, for values AND keys: the one place that
 * decides which characters a log line escapes, so a key can never carry a raw
 * line separator that a value could not.
 */

/** U+0085, U+2028, U+2029: valid inside JSON strings, but line breaks to some readers (Python's splitlines, JS /m). */
const OTHER_LINE_BREAKS = /[\u0085\u2028\u2029]/g;

function escapeLineBreaks(json: string): string {
  return json.replace(OTHER_LINE_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Quotes `s` as a JSON string. Short strings without anything to escape skip
 * JSON.stringify. Besides JSON's own escapes, the other Unicode line breaks
 * are escaped too, so no reader that splits on them sees a forged line.
 */
export function quote_json(s: string): string {
  const n = s.length;
  if (n > 80) {
    const json = JSON.stringify(s);
    return json.search(OTHER_LINE_BREAKS) === -1 ? json : escapeLineBreaks(json);
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff) || c === 0x85 || c === 0x2028 || c === 0x2029) {
      return escapeLineBreaks(JSON.stringify(s));
    }
  }
  return `"${s}"`;
}

/** Cuts a string longer than `max` characters, saying how much was cut (values and keys alike). */
export function truncate_string(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…[truncated ${s.length - max} chars]` : s;
}
