import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assetMatchesExtension, cssColor, mergeSettings } from '../../src/domain/managed-login-branding.js';
import { managedLoginCss } from '../../src/pages/managed-login-css.js';

test('an asset’s bytes must carry its extension’s signature', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
  const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
  assert.equal(assetMatchesExtension('PNG', png), true);
  assert.equal(assetMatchesExtension('JPEG', png), false);
  assert.equal(assetMatchesExtension('JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0])), true);
  assert.equal(assetMatchesExtension('WEBP', webp), true);
  assert.equal(assetMatchesExtension('WEBP', Buffer.from('RIFF\0\0\0\0WAVE')), false);
  assert.equal(assetMatchesExtension('ICO', Buffer.from([0, 0, 1, 0, 1, 0])), true);
  assert.equal(assetMatchesExtension('SVG', Buffer.from('\uFEFF<?xml version="1.0"?><!-- logo --><svg viewBox="0 0 1 1"/>')), true);
  assert.equal(assetMatchesExtension('SVG', Buffer.from('<html><svg/></html>')), false);
  assert.equal(assetMatchesExtension('SVG', png), false);
});

test('settings merge member by member; arrays and values replace', () => {
  const merged = mergeSettings({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true }, d: { f: 1 } });
  assert.deepEqual(merged, { a: { b: 1, c: [3], e: true }, d: { f: 1 } });
});

test('only eight-digit hex colours reach the style sheet, so no setting can inject CSS', () => {
  assert.equal(cssColor('0972D3FF'), '#0972d3ff');
  for (const bad of ['red', '#0972d3ff', '0972d3', '0972d3ff;}body{display:none', 12, null]) assert.equal(cssColor(bad), undefined);
  const css = managedLoginCss({
    components: {
      pageBackground: { lightMode: { color: 'fff;}</style><script>' } },
      primaryButton: { lightMode: { defaults: { backgroundColor: 'b00020ff' } } },
    },
    componentClasses: { buttons: { borderRadius: '8px;}*{color:red' } },
  });
  assert.equal(css, '.submitButton-customizable{background-color:#b00020ff}');
});

test('the colour scheme picks the mode: LIGHT by default, DARK alone, DYNAMIC both with the dark under a media query', () => {
  const colours = { pageBackground: { lightMode: { color: '111111ff' }, darkMode: { color: '222222ff' } } };
  assert.equal(managedLoginCss({ components: colours }), '.background-customizable{background-color:#111111ff}');
  assert.equal(
    managedLoginCss({ categories: { global: { colorSchemeMode: 'DARK' } }, components: colours }),
    '.background-customizable{background-color:#222222ff}',
  );
  assert.equal(
    managedLoginCss({ categories: { global: { colorSchemeMode: 'DYNAMIC' } }, components: colours }),
    '.background-customizable{background-color:#111111ff}\n@media (prefers-color-scheme: dark){\n.background-customizable{background-color:#222222ff}\n}',
  );
  assert.equal(managedLoginCss({}), '');
});

test('secondary and identity provider buttons, alerts, dividers and focus rings take the style’s colours too', () => {
  const css = managedLoginCss({
    components: {
      secondaryButton: { lightMode: { defaults: { textColor: '123456ff' } } },
      idpButton: { standard: { lightMode: { defaults: { borderColor: 'abcdefff' } } } },
      alert: { lightMode: { error: { borderColor: 'ff0000ff' } } },
    },
    componentClasses: { divider: { lightMode: { borderColor: '00ff00ff' } }, focusState: { lightMode: { borderColor: '0000ffff' } } },
  });
  assert.equal(
    css,
    [
      '.passkey-button{color:#123456ff}',
      '.idpButton-customizable,.socialButton-customizable{border-color:#abcdefff}',
      '.errorMessage-customizable{border-left-color:#ff0000ff}',
      '.divider::before,.divider::after{border-top-color:#00ff00ff}',
      '.submitButton-customizable:focus-visible,.idpButton-customizable:focus-visible,.socialButton-customizable:focus-visible,.passkey-button:focus-visible,a:focus-visible,.link-button:focus-visible,.inputField-customizable:focus{outline-color:#0000ffff}',
    ].join('\n'),
  );
});
