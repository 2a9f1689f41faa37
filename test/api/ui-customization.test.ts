import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  type UICustomizationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { brandingFor } from '../../src/pages/branding.js';
import type { HostedSite } from '../../src/oauth/site.js';

let server: TestServer;
const clock = serverForTests((started) => {
  server = started;
});

const CSS = '.label-customizable {font-weight: 400;}';
const CLIENT_CSS = '.banner-customizable { background-color: #232f3e; padding: 25px 0px 25px 0px }';
const DOMAIN_MESSAGE = 'There has to be an existing domain associated with this user pool';

/** A real 1x1 PNG (signature, IHDR, IDAT, IEND), so the bytes served back are an image. */
function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from([0, 0x23, 0x2f, 0x3e]))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** JPEG's signature and a JFIF header; the server checks the signature, never decodes. */
function jpeg(size = 64): Uint8Array {
  const bytes = Buffer.alloc(size);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(bytes);
  return new Uint8Array(bytes);
}

function version(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function newPool(withDomain = true): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'branding' }));
  const poolId = created.UserPool!.Id!;
  if (withDomain) {
    await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `brand-${randomBytes(4).toString('hex')}` }));
  }
  return poolId;
}

async function newClient(poolId: string): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
  return created.UserPoolClient!.ClientId!;
}

async function get(poolId: string, clientId?: string): Promise<UICustomizationType> {
  return (await server.admin.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }))).UICustomization!;
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal(error.message, message);
}

function site(poolId: string, baseUrl: string): Promise<HostedSite> {
  return (async () => {
    const pool = await server.services.store.pools.get(poolId);
    return { pool: pool!, baseUrl, via: 'host', cookiePath: '/', secure: true };
  })();
}

test('the pool default (no ClientId) is set and read back as ClientId ALL, with its logo URL', async () => {
  const poolId = await newPool();
  const image = png();
  const set = await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: image }));
  const ui = set.UICustomization!;
  assert.deepEqual(Object.keys(ui).sort(), ['CSS', 'CSSVersion', 'ClientId', 'CreationDate', 'ImageUrl', 'LastModifiedDate', 'UserPoolId']);
  assert.equal(ui.UserPoolId, poolId);
  assert.equal(ui.ClientId, 'ALL');
  assert.equal(ui.CSS, CSS);
  assert.equal(ui.CSSVersion, version(clock.now()));
  assert.equal(ui.CreationDate?.getTime(), clock.now());
  assert.equal(ui.LastModifiedDate?.getTime(), clock.now());
  assert.match(ui.ImageUrl!, new RegExp(`^${server.url}/${poolId}/branding/logo\\?client_id=ALL&v=[0-9a-f]{32}$`));

  assert.deepEqual(await get(poolId), ui);
  assert.deepEqual(await get(poolId, 'ALL'), ui);
});

test('the logo URL serves the very bytes, typed, nosniff, cached for good at its version', async () => {
  const poolId = await newPool();
  const image = png();
  const ui = (await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', ImageFile: image })))
    .UICustomization!;
  assert.equal(ui.CSS, undefined, 'no CSS was set');

  const response = await fetch(ui.ImageUrl!);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), image);

  const etag = response.headers.get('etag')!;
  const revalidated = await fetch(ui.ImageUrl!, { headers: { 'if-none-match': etag } });
  assert.equal(revalidated.status, 304);

  // Without the current version the logo is still served, but must be revalidated.
  const unversioned = await fetch(`${server.url}/${poolId}/branding/logo?client_id=ALL`);
  assert.equal(unversioned.status, 200);
  assert.equal(unversioned.headers.get('cache-control'), 'no-cache');
  await unversioned.arrayBuffer();

  for (const query of ['client_id=nobody', 'client_id=%3Cscript%3E', '']) {
    const missing = await fetch(`${server.url}/${poolId}/branding/logo?${query}`);
    if (query === '') {
      assert.equal(missing.status, 200, 'no client_id means the pool default');
    } else {
      assert.equal(missing.status, 404);
    }
    await missing.arrayBuffer();
  }
  const otherPool = await newPool();
  const elsewhere = await fetch(`${server.url}/${otherPool}/branding/logo?client_id=ALL`);
  assert.equal(elsewhere.status, 404, 'another pool does not serve this pool’s logo');
  await elsewhere.arrayBuffer();
});

test('a client’s own customization overrides ALL; a client without one reads ALL', async () => {
  const poolId = await newPool();
  const [own, inherits] = [await newClient(poolId), await newClient(poolId)];
  const all = (await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: png() }))).UICustomization!;

  const logo = jpeg();
  const client = (
    await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: own, CSS: CLIENT_CSS, ImageFile: logo }))
  ).UICustomization!;
  assert.equal(client.ClientId, own);
  assert.equal(client.CSS, CLIENT_CSS);
  assert.match(client.ImageUrl!, new RegExp(`^${server.url}/${poolId}/branding/logo\\?client_id=${own}&v=[0-9a-f]{32}$`));
  assert.deepEqual(await get(poolId, own), client);

  const logoResponse = await fetch(client.ImageUrl!);
  assert.equal(logoResponse.headers.get('content-type'), 'image/jpeg');
  assert.deepEqual(new Uint8Array(await logoResponse.arrayBuffer()), logo);

  assert.deepEqual(await get(poolId, inherits), all, 'the pool default, as itself');
  assert.deepEqual(await get(poolId), all);

  // CSS and logo are set together: a later set with CSS only leaves the client without a logo,
  // and it does not fall back to the pool's logo.
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(2000, async () => {
    const cssOnly = (await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: own, CSS }))).UICustomization!;
    assert.equal(cssOnly.ImageUrl, undefined);
    assert.equal(cssOnly.CSSVersion, version(clock.now()));
    assert.equal(cssOnly.CreationDate?.getTime(), client.CreationDate?.getTime(), 'created when first set');
    assert.equal(cssOnly.LastModifiedDate?.getTime(), clock.now());
    assert.deepEqual(await get(poolId, own), cssOnly);

    const pages = await brandingFor(server.services, await site(poolId, 'https://auth.example.com'), own);
    assert.deepEqual(pages, { css: CSS, logoUrl: undefined });
    const fallback = await brandingFor(server.services, await site(poolId, 'https://auth.example.com'), inherits);
    // The same logo as the API's ImageUrl, on the site the page is served from.
    assert.deepEqual(fallback, { css: CSS, logoUrl: `https://auth.example.com/branding/logo${new URL(all.ImageUrl!).search}` });
    assert.deepEqual(await brandingFor(server.services, await site(poolId, 'https://auth.example.com'), undefined), fallback);
  });
});

test('nothing set: Get answers only the pool and client IDs, and pages get no branding', async () => {
  const poolId = await newPool();
  const clientId = await newClient(poolId);
  assert.deepEqual(await get(poolId), { UserPoolId: poolId, ClientId: 'ALL' });
  assert.deepEqual(await get(poolId, clientId), { UserPoolId: poolId, ClientId: clientId });
  assert.deepEqual(await brandingFor(server.services, await site(poolId, 'https://auth.example.com'), clientId), {
    css: undefined,
    logoUrl: undefined,
  });
});

test('a set with neither CSS nor image removes the customization', async () => {
  const poolId = await newPool();
  const clientId = await newClient(poolId);
  await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS }));
  await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: CLIENT_CSS }));

  const cleared = await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.deepEqual(cleared.UICustomization, { UserPoolId: poolId, ClientId: clientId });
  assert.equal((await get(poolId, clientId)).ClientId, 'ALL', 'the client falls back to the pool default again');

  await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', CSS: '' }));
  assert.deepEqual(await get(poolId, clientId), { UserPoolId: poolId, ClientId: clientId });
});

test('CSS outside Cognito’s customizable classes, or able to load or inject anything, is refused', async () => {
  const poolId = await newPool();
  const cases: Array<[string, string]> = [
    ['.foo { color: red; }', 'CSS selector .foo is not a customizable class.'],
    ['.label-customizable .x { color: red; }', 'CSS selector .label-customizable .x is not a customizable class.'],
    ['@import url(https://evil.example/x.css);', 'CSS cannot contain @import or any other at-rule.'],
    ['@media print { .label-customizable { color: red } }', 'CSS cannot contain @media or any other at-rule.'],
    ['.banner-customizable { background: url(http://evil.example/x.png) }', 'CSS url() values may only hold a data:image URI.'],
    ['.banner-customizable { background: url("//evil.example/x.png") }', 'CSS url() values may only hold a data:image URI.'],
    ['.banner-customizable { background: image-set("https://evil.example/x.png" 1x) }', 'CSS function image-set() is not allowed.'],
    ['.label-customizable { color: red } </style><script>alert(1)</script>', 'CSS cannot contain HTML.'],
    ['.label-customizable { width: expression(alert(1)) }', 'CSS cannot contain JavaScript.'],
    ['.label-customizable { background: u\\72l(http://evil.example) }', 'CSS cannot contain escape sequences.'],
    ['.label-customizable { color: red', 'CSS contains a declaration block that is not closed.'],
    // A comment opener inside a string is text: the rule after it is checked as the browser reads it.
    ['.label-customizable { font-family: "/*" } .evil { color: red } /* */', 'CSS selector .evil is not a customizable class.'],
  ];
  for (const [css, message] of cases) {
    await expectError(
      () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: css })),
      'InvalidParameterException',
      message,
    );
  }
  assert.deepEqual(await get(poolId), { UserPoolId: poolId, ClientId: 'ALL' }, 'nothing was stored');

  const allowed = '.banner-customizable { background-image: url("data:image/png;base64,iVBORw0KGgo="); color: rgb(1, 2, 3) !important }';
  const ok = await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: allowed }));
  assert.equal(ok.UICustomization?.CSS, allowed);
});

test('the logo must be a PNG or JPEG of at most 100 KB', async () => {
  const poolId = await newPool();
  const gif = new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
  const svg = new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
  for (const image of [gif, svg]) {
    await expectError(
      () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: image })),
      'InvalidParameterException',
      'The image file must be a PNG or JPEG image.',
    );
  }
  await expectError(
    () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: jpeg(100 * 1024 + 1) })),
    'InvalidParameterException',
    'The image file cannot be larger than 100 KB.',
  );
  const largest = await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: jpeg(100 * 1024) }));
  assert.ok(largest.UICustomization?.ImageUrl);
});

test('a pool without a domain, an unknown pool and an unknown client are refused as Cognito does', async () => {
  const bare = await newPool(false);
  await expectError(
    () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: bare, CSS })),
    'InvalidParameterException',
    DOMAIN_MESSAGE,
  );
  await expectError(() => get(bare), 'InvalidParameterException', DOMAIN_MESSAGE);

  await expectError(
    () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: 'us-east-1_nopool000', CSS })),
    'ResourceNotFoundException',
    'User pool us-east-1_nopool000 does not exist.',
  );
  await expectError(() => get('us-east-1_nopool000'), 'ResourceNotFoundException', 'User pool us-east-1_nopool000 does not exist.');

  const poolId = await newPool();
  const otherPoolClient = await newClient(await newPool());
  for (const clientId of ['nosuchclient', otherPoolClient]) {
    await expectError(
      () => server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS })),
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    );
    await expectError(() => get(poolId, clientId), 'ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
});

test('deleting a client deletes its own customization and keeps the pool default', async () => {
  const poolId = await newPool();
  const clientId = await newClient(poolId);
  await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS }));
  await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: CLIENT_CSS, ImageFile: png() }));
  await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.equal(await server.services.store.uiCustomizations.get(poolId, clientId), undefined);
  assert.equal((await server.services.store.uiCustomizations.get(poolId, 'ALL'))?.css, CSS);
  const gone = await fetch(`${server.url}/${poolId}/branding/logo?client_id=${clientId}`);
  assert.equal(gone.status, 404);
  await gone.arrayBuffer();
});

test('CSS in the shape of Cognito’s own template, every customizable class, is accepted as is', async () => {
  const poolId = await newPool();
  const template = [
    '.logo-customizable { max-width: 60%; max-height: 30%; }',
    '.banner-customizable { padding: 25px 0px 25px 0px; background-color: lightgray; }',
    '.label-customizable { font-weight: 400; }',
    '.textDescription-customizable { padding-top: 10px; padding-bottom: 10px; display: block; font-size: 16px; }',
    '.idpDescription-customizable { padding-top: 10px; padding-bottom: 10px; display: block; font-size: 16px; }',
    '.legalText-customizable { color: #747474; font-size: 11px; }',
    '.submitButton-customizable { font-size: 14px; font-weight: bold; margin: 20px 0px 10px 0px; height: 40px; width: 100%; color: #fff; background-color: #337ab7; }',
    '.submitButton-customizable:hover { color: #fff; background-color: #286090; }',
    '.errorMessage-customizable { padding: 5px; font-size: 14px; width: 100%; background: #F5F5F5; border: 2px solid #D64958; color: #D64958; }',
    '.inputField-customizable { width: 100%; height: 34px; color: #555; background-color: #fff; border: 1px solid #ccc; }',
    '.inputField-customizable:focus { border-color: #66afe9; outline: 0; }',
    '.idpButton-customizable { height: 40px; width: 100%; text-align: center; margin-bottom: 15px; color: #fff; background-color: #5bc0de; border-color: #46b8da; }',
    '.idpButton-customizable:hover { color: #fff; background-color: #31b0d5; }',
    '.socialButton-customizable { border-radius: 2px; height: 40px; margin-bottom: 15px; padding: 1px; text-align: left; width: 100%; }',
    '.redirect-customizable { text-align: center; }',
    '.passwordCheck-notValid-customizable { color: #DF3312; }',
    '.passwordCheck-valid-customizable { color: #19BF00; }',
    '.background-customizable { background-color: #fff; }',
  ].join('\n');
  const set = await server.admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: template }));
  assert.equal(set.UICustomization?.CSS, template);
});
