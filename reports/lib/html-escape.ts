// Escaping for everything the HTML page embeds: text and attribute values,
// and JSON placed inside a <script> element (where "</script>" or "<!--" in a
// string would end or break the element, and U+2028/U+2029 break old parsers).

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** JSON that is safe as the body of <script type="application/json">: every '<', '>', '&' and line separator escaped. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Only relative links and http(s) are emitted; anything else (javascript:, data:) becomes plain text. */
export function safeHref(href: string): string | null {
  if (/^https?:\/\//i.test(href)) return href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return null;
  return href;
}
