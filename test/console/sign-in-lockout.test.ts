/**
 * The console's sign-in limits guesses per address as user sign-ins are limited: five free, then
 * a lockout that doubles from one second. Over the wire with fetch: the form's CSRF cookie and
 * field, then posts from addresses given by X-Forwarded-For (trustProxy).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';

const PASSWORD = 'console-lockout-password';
const LOCKED = /Too many failed sign-ins from this address/;
const clock = FrozenClock.atNow();
let server: TestServer;
let signInUrl: string;
let csrf: { cookie: string; token: string };

before(async () => {
  server = await startTestServer({ consolePassword: PASSWORD, trustProxy: true }, { clock });
  signInUrl = `${server.url}/_cognate/console/sign-in`;
  const form = await fetch(signInUrl);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  csrf = { cookie, token: cookie.split('=')[1]! };
  assert.ok(csrf.token, 'the sign-in form sets a CSRF cookie');
});
after(() => server.stop());

/** Posts the sign-in form with the console password or a wrong one, from `ip`; answers the status and page. */
async function signIn(ip: string, secret: string): Promise<{ status: number; body: string; session: boolean }> {
  const response = await fetch(signInUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie, 'x-forwarded-for': ip },
    body: new URLSearchParams({ _csrf: csrf.token, accessKeyId: '', secret }).toString(),
  });
  const session = (response.headers.get('set-cookie') ?? '').includes('cognate-console=');
  return { status: response.status, body: await response.text(), session };
}

test('five wrong guesses lock the address out, the right password too, until the lockout ends', async () => {
  const ip = '198.51.100.1';
  for (let i = 1; i <= 5; i++) assert.equal((await signIn(ip, `wrong-${i}`)).status, 401, `guess ${i}`);
  const locked = await signIn(ip, PASSWORD);
  assert.equal(locked.status, 429);
  assert.match(locked.body, LOCKED);
  assert.equal(locked.session, false, 'no session while locked out');
  // Another address is not locked by this one's guesses.
  const other = await signIn('198.51.100.2', PASSWORD);
  assert.equal(other.status, 303);
  assert.ok(other.session);

  clock.advance(1000);
  const after = await signIn(ip, PASSWORD);
  assert.equal(after.status, 303, after.body);
  assert.ok(after.session);
  // The success gave the failures back: five more guesses are free again.
  for (let i = 1; i <= 5; i++) assert.equal((await signIn(ip, `again-${i}`)).status, 401, `guess ${i} after the success`);
  assert.equal((await signIn(ip, 'one-too-many')).status, 429);
  // A guess during the lockout is not counted; the sixth counted failure locks for two seconds.
  clock.advance(1000);
  assert.equal((await signIn(ip, 'sixth')).status, 401);
  clock.advance(1000);
  assert.equal((await signIn(ip, PASSWORD)).status, 429);
  clock.advance(1000);
  assert.equal((await signIn(ip, PASSWORD)).status, 303);
});

test('racing guesses are counted before they are checked: no more than five are compared', async () => {
  const ip = '198.51.100.3';
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(ip, `race-${i}`)));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(15).fill(429)]);
});
