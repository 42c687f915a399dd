/**
 * The access token from the page's fragment (`/#token=…`). A fragment is never
 * sent to the server in an HTTP request, so it cannot end up in access logs;
 * the feed passes it to the socket in its first message. Other fragment
 * parameters (e.g. `lang=en`) may sit beside it: `#token=…&lang=en`.
 */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() !== '' ? token.trim() : null;
}
