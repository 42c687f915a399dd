// The order ticker shows who paid without showing who it was: the wall is
// view-only and sits in a room, so a user id is masked on the server and the
// full id never reaches the browser.

const MASK = '***';

/**
 * Keeps the first character and the last two of ids longer than 4 characters
 * ("user-42" → "u***42"), only the first of shorter ones ("u42" → "u***"),
 * and nothing of a 1-character id. Counts code points, so a CJK or emoji id
 * is never cut inside a character.
 */
export function maskUserId(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return MASK;
  if (chars.length <= 4) return `${chars[0]}${MASK}`;
  return `${chars[0]}${MASK}${chars.slice(-2).join('')}`;
}
