import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
import { consoleForm, consolePage, textField } from './layout.js';
import { csrfPassed, field, forbidden, seeOther, type ConsoleContext } from './context.js';
import { CONSOLE_PATH, checkSignIn, endSessionCookie, sessionCookie } from './session.js';
import { SIGN_IN_LOCKOUT } from '../auth/steps/lockout.js';

/** The sign-in form: an admin key pair, or the console password alone. */
function signInPage(ctx: ConsoleContext, options: { error?: string; accessKeyId?: string; status?: number } = {}): HostedResponse {
  const password = ctx.services.config.consolePassword !== undefined;
  return consolePage({
    title: 'Sign in',
    status: options.status ?? 200,
    body: html`<section class="sign-in">
      <h1>Sign in to the console</h1>
      <p class="muted">
        With an admin key pair (access key ID and
        secret)${password ? ', or with the console password alone (leave the access key ID empty)' : ''}.
      </p>
      ${consoleForm({
        action: `${CONSOLE_PATH}/sign-in`,
        csrf: ctx.csrf.token,
        id: 'sign-in',
        button: 'Sign in',
        error: options.error,
        fields: html`${textField({ id: 'accessKeyId', name: 'accessKeyId', label: 'Access key ID', value: options.accessKeyId, autocomplete: 'username' })}
        ${textField({
          id: 'secret',
          name: 'secret',
          type: 'password',
          label: password ? 'Secret access key or console password' : 'Secret access key',
          invalid: options.error !== undefined,
          autocomplete: 'current-password',
        })}`,
      })}
    </section>`,
  });
}

export async function showSignIn(ctx: ConsoleContext): Promise<HostedResponse> {
  if (ctx.session) return seeOther(`${CONSOLE_PATH}/pools`);
  return signInPage(ctx);
}

/** What a locked-out address is told; the lockout's length is not given away. */
export const CONSOLE_LOCKED_OUT = 'Too many failed sign-ins from this address. Wait a while and try again.';

/**
 * Checks the posted credentials; a right pair or password starts a session and goes to the pools.
 * Guesses are limited per address as user sign-ins are (src/auth/steps/lockout.ts: five free, then
 * lockouts doubling from one second to 15 minutes): each attempt is counted before the secret is
 * compared, so racing guesses cannot pass the limit, and a success gives its count back.
 */
export async function submitSignIn(ctx: ConsoleContext): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const accessKeyId = field(ctx, 'accessKeyId').trim();
  const { rateCounters } = ctx.services.store;
  const counter = `console-sign-in:${ctx.ip}`;
  const attempt = await rateCounters.reserve(counter, SIGN_IN_LOCKOUT, ctx.services.clock.now());
  if (attempt === undefined) {
    ctx.services.logger.warn({ accessKeyId, ip: ctx.ip }, 'console sign-in refused: locked out');
    return signInPage(ctx, { error: CONSOLE_LOCKED_OUT, accessKeyId, status: 429 });
  }
  const checked = checkSignIn(ctx.services, { accessKeyId, secret: field(ctx, 'secret') }, ctx.ip);
  if (!checked.ok) {
    ctx.services.logger.warn({ accessKeyId, ip: ctx.ip }, 'console sign-in refused');
    return signInPage(ctx, { error: checked.message, accessKeyId, status: 401 });
  }
  await rateCounters.giveBack(counter, attempt);
  return seeOther(`${CONSOLE_PATH}/pools`, [sessionCookie(ctx.services, checked.actor, ctx.secure)]);
}

export async function submitSignOut(ctx: ConsoleContext): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  return seeOther(`${CONSOLE_PATH}/sign-in`, [endSessionCookie(ctx.secure)]);
}
