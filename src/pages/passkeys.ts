import type { HostedResponse } from '../oauth/site.js';
import { effectiveExplicitAuthFlows } from '../api/ops/clients/client-config.js';
import { passkeysEnabled } from '../auth/webauthn.js';
import { html, type HtmlValue, type SafeHtml } from '../lib/html.js';
import { csrfField, pageUrl, problemsBlock, respond, submitButton, type PageContext } from './common.js';
import type { FormProblems } from './form-problems.js';
import { PASSKEY_SCRIPT } from './passkey-script.js';

/*
 * What the passkey pages share: when managed login offers passkeys, and the page of one WebAuthn
 * ceremony, whose browser half is `passkey-script.ts` and whose server half runs through the
 * sign-in engine and `auth/webauthn.ts`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-passkey
 */

/** The page that signs in with a passkey (Cognito's own path for it is not documented). */
export const PASSKEY_SIGN_IN_PATH = '/passkeys/sign-in';
/** The page that adds a passkey after a sign-in. */
export const PASSKEY_ADD_PATH = '/passkeys/add';

/**
 * Whether managed login offers passkeys to this app: the pool allows WEB_AUTHN as a first factor
 * and the client allows choice-based sign-in (ALLOW_USER_AUTH), which passkey sign-in is part of,
 * as Cognito requires of managed login's passkeys.
 */
export function offersPasskeys(page: PageContext): boolean {
  return passkeysEnabled(page.site.pool) && effectiveExplicitAuthFlows(page.client).includes('ALLOW_USER_AUTH');
}

/**
 * The page of one ceremony: the heading, problems, an introduction, the status line the script
 * speaks in, and the form that carries the server's `options` to the script and the
 * `credential` back (with `fields`, its submit button that starts the ceremony again, and what
 * follows).
 */
export function ceremonyPage(
  page: PageContext,
  options: {
    title: string;
    status?: number;
    problems?: FormProblems | undefined;
    intro: HtmlValue;
    action: string;
    ceremony: 'get' | 'create';
    /** The server's request or creation options (their JSON form), or none when the ceremony cannot run. */
    requestOptions: unknown;
    fields: HtmlValue;
    submit: { label: string; name: string };
    after?: HtmlValue;
  },
): HostedResponse {
  const ready = options.requestOptions !== undefined;
  const form: SafeHtml = ready
    ? html`<form
        method="post"
        action="${pageUrl(page, options.action)}"
        data-passkey="${options.ceremony}"
        data-options="${JSON.stringify(options.requestOptions)}"
        novalidate
      >
        ${csrfField(page)}
        <input type="hidden" name="credential" value="" />
        ${options.fields} ${submitButton(options.submit.label, options.submit.name)}
      </form>`
    : html``;
  return respond(page, {
    title: options.title,
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">${options.title}</h1>
      ${problemsBlock(options.problems)} ${options.intro}
      <p class="passkey-status" id="passkeyStatus" role="status"></p>
      ${form} ${options.after}`,
    scripts: ready ? [PASSKEY_SCRIPT] : [],
  });
}
