import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, tooltipLines } from './escape-html.ts';

test('markup in data is escaped', () => {
  assert.equal(escapeHtml('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeHtml(`"a" & 'b'`), '&quot;a&quot; &amp; &#39;b&#39;');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(12.5), '12.5');
});

test('tooltip lines escape titles, labels and values', () => {
  assert.equal(
    tooltipLines('<b>x</b>', [
      ['users', 3],
      ['<i>', '<script>'],
    ]),
    '<b>&lt;b&gt;x&lt;/b&gt;</b><br/>users: 3<br/>&lt;i&gt;: &lt;script&gt;',
  );
});
