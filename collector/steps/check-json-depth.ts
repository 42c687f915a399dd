/**
 * The deepest `[` / `{` nesting of a JSON text, counted without parsing it.
 * JSON.parse recurses once per level, so a body of 10,000 `[` would build a
 * deep object (or, deeper still, overflow the stack) before any schema could
 * refuse it; this scan is linear, allocates nothing, and stops at the first
 * level beyond `maxDepth`. Brackets inside strings are skipped; the text
 * need not be valid JSON (the parser reports that afterwards).
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++; // skip the escaped character, which may be a quote
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
