import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signUpTermsLinks, termsLinkFor } from '../../src/domain/terms.js';

const LINKS = {
  'cognito:default': 'https://example.com/terms',
  'cognito:portuguese-brazil': 'https://example.com/pt-br/termos',
  'cognito:chinese-traditional': 'https://example.com/zh-tw/terms',
};

test("a document's link follows managed login's lang, whatever its case, and falls back to cognito:default", () => {
  assert.equal(termsLinkFor(LINKS, 'pt-BR'), 'https://example.com/pt-br/termos');
  assert.equal(termsLinkFor(LINKS, 'zh-tw'), 'https://example.com/zh-tw/terms');
  assert.equal(termsLinkFor(LINKS, 'ja'), 'https://example.com/terms');
  assert.equal(termsLinkFor(LINKS, 'xx'), 'https://example.com/terms');
  assert.equal(termsLinkFor(LINKS, undefined), 'https://example.com/terms');
  assert.equal(termsLinkFor({ 'cognito:french': 'https://example.com/fr' }, 'de'), undefined);
});

test('only http and https links count; another scheme falls back or leaves no link', () => {
  assert.equal(
    termsLinkFor({ 'cognito:default': 'https://example.com/terms', 'cognito:german': 'javascript:alert(1)' }, 'de'),
    'https://example.com/terms',
  );
  assert.equal(termsLinkFor({ 'cognito:default': 'data:text/html,hi' }, 'en'), undefined);
  assert.equal(termsLinkFor({ 'cognito:default': 'not a url' }, 'en'), undefined);
  assert.equal(termsLinkFor({ 'cognito:default': 'http://example.com/terms' }, 'en'), 'http://example.com/terms');
});

test('the sign-up page shows the terms only when both documents have a link for the language', () => {
  const termsOfUse = { termsName: 'terms-of-use', links: LINKS };
  const privacy = { termsName: 'privacy-policy', links: { 'cognito:portuguese-brazil': 'https://example.com/pt-br/privacidade' } };
  assert.deepEqual(signUpTermsLinks([termsOfUse, privacy], 'pt-BR'), {
    termsOfUse: 'https://example.com/pt-br/termos',
    privacyPolicy: 'https://example.com/pt-br/privacidade',
  });
  // In English the privacy policy has no link (no default), so nothing is shown.
  assert.equal(signUpTermsLinks([termsOfUse, privacy], 'en'), undefined);
  assert.equal(signUpTermsLinks([termsOfUse], 'pt-BR'), undefined);
  assert.equal(signUpTermsLinks([], undefined), undefined);
});
