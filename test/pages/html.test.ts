import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { escapeHtml, html, join, toHtmlString } from '../../src/lib/html.js';
import { pageHeaders, renderPage } from '../../src/pages/layout.js';
import { csrfCookieName, csrfToken, csrfValid } from '../../src/pages/csrf.js';
import type { HostedRequest, HostedSite } from '../../src/oauth/site.js';

test('html escapes every interpolated value, in text and in attributes', () => {
  const evil = `"><script>alert('x')</script>&\``;
  const out = toHtmlString(html`<p title="${evil}">${evil}</p>`);
  assert.equal(
    out,
    '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</p>',
  );
  assert.equal(escapeHtml("<a href='x'>"), '&lt;a href=&#39;x&#39;&gt;');
});

test('html inserts its own fragments as they are, and lists, numbers and nothing', () => {
  const inner = html`<b>${'<i>'}</b>`;
  assert.equal(toHtmlString(html`<p>${inner}</p>`), '<p><b>&lt;i&gt;</b></p>');
  assert.equal(toHtmlString(html`${['<', html`<br />`, 3]}|${undefined}${null}${false}`), '&lt;<br />3|');
  assert.equal(toHtmlString(join(['a', '<b>'], html`, `)), 'a, &lt;b&gt;');
  // A look-alike object is not a safe fragment: it is text.
  const fake = { value: '<script>' } as unknown as string;
  assert.equal(toHtmlString(html`${fake}`), '[object Object]');
});

test('pages carry the security headers and a style hash matching their inline style', () => {
  const response = renderPage({
    title: 'T',
    body: html`<p>x</p>`,
    branding: { css: '.banner-customizable{color:red}</style><script>', logoUrl: undefined },
    formTargets: ['https://app.example.com/cb?x=1', 'myapp://callback', 'not a url'],
  });
  const headers = response.headers as Record<string, string>;
  const body = String(response.body);
  assert.ok(!body.includes('</style><script>'));
  const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  assert.equal(
    headers['content-security-policy'],
    `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self' data: https:; form-action 'self' https://app.example.com myapp:; frame-ancestors 'none'; base-uri 'none'`,
  );
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['cache-control'], 'no-store');
  assert.deepEqual(Object.keys(pageHeaders('h')).sort(), Object.keys(headers).sort());
});

test("a page's own scripts are inlined and allowed by their hashes, beside the password toggle's", () => {
  const script = 'document.title = "x";';
  const response = renderPage({
    title: 'T',
    body: html`<input type="password" />`,
    branding: { css: undefined, logoUrl: undefined },
    scripts: [script],
  });
  const body = String(response.body);
  const inline = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(inline.length, 2);
  assert.equal(inline[1], script);
  const hashes = inline.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  const csp = (response.headers as Record<string, string>)['content-security-policy'] ?? '';
  assert.ok(csp.includes(`; script-src ${hashes.join(' ')}; `), csp);
});

const SITE: HostedSite = {
  pool: { id: 'us-east-1_abc', name: 'p', region: 'us-east-1', config: {}, createdAt: 0, updatedAt: 0 },
  baseUrl: 'https://auth.example.com',
  via: 'host',
  cookiePath: '/',
  secure: true,
};

function request(cookies: Record<string, string>): HostedRequest {
  return {
    method: 'POST',
    path: '/login',
    query: new URLSearchParams(),
    body: '',
    contentType: undefined,
    headers: {},
    cookies: new Map(Object.entries(cookies)),
    ip: '127.0.0.1',
  };
}

test('the CSRF token is a double-submit of an HttpOnly cookie, __Host- prefixed on HTTPS hosts', () => {
  const fresh = csrfToken(SITE, request({}));
  assert.equal(csrfCookieName(SITE), '__Host-cognate-csrf');
  assert.equal(fresh.setCookie, `__Host-cognate-csrf=${fresh.token}; Path=/; HttpOnly; SameSite=Lax; Secure`);
  const withCookie = request({ '__Host-cognate-csrf': fresh.token });
  assert.deepEqual(csrfToken(SITE, withCookie), { token: fresh.token, setCookie: undefined });
  assert.equal(csrfValid(SITE, withCookie, new URLSearchParams({ _csrf: fresh.token })), true);
  const other = csrfToken(SITE, request({})).token;
  assert.equal(csrfValid(SITE, withCookie, new URLSearchParams({ _csrf: other })), false);
  assert.equal(csrfValid(SITE, withCookie, new URLSearchParams()), false);
  assert.equal(csrfValid(SITE, request({}), new URLSearchParams({ _csrf: fresh.token })), false);
  const byPath: HostedSite = { ...SITE, via: 'path', cookiePath: '/us-east-1_abc', secure: false };
  assert.equal(csrfCookieName(byPath), 'cognate-csrf');
  assert.match(csrfToken(byPath, request({})).setCookie ?? '', /^cognate-csrf=[\w-]{43}; Path=\/us-east-1_abc; HttpOnly; SameSite=Lax$/);
});
