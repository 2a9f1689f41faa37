import type { HostedResponse } from '../oauth/site.js';
import { redirectTo } from '../oauth/site.js';
import { loginSessionCookie, readLoginSession, type LoginSession } from '../oauth/login-session.js';
import { completeRegistration, credentialsOf, startRegistration, type RegistrationCaller } from '../auth/webauthn.js';
import type { UserRecord } from '../store/ports.js';
import { html } from '../lib/html.js';
import { newUuid } from '../lib/ids.js';
import { csrfField, finishSignIn, formHandler, formValue, pageHandler, pageOrigin, pageUrl, type PageContext } from './common.js';
import { ceremonyPage, offersPasskeys, PASSKEY_ADD_PATH } from './passkeys.js';
import { formProblem, problemsFromError, type FormProblems } from './form-problems.js';

/*
 * Adding a passkey on managed login, as Cognito's managed login offers it after a sign-in: the
 * user of the managed-login session registers one (StartWebAuthnRegistration's and
 * CompleteWebAuthnRegistration's logic, for the session's user and this app client), or goes on
 * without; either way the authorization the page carries then completes.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-passkey
 */

/** What the page says when the form came back without a passkey (no script ran, or none was given). */
const NO_PASSKEY_GIVEN = 'Your browser did not give a passkey. Try again, or choose Not now.';

/**
 * A password sign-in that succeeded: a user who has no passkey yet, where managed login offers
 * passkeys, is offered one first (the managed-login session starts now, and the page then
 * completes the authorization); anyone else goes straight back to the app.
 */
export async function finishPasswordSignIn(page: PageContext, user: UserRecord, authTime: number): Promise<HostedResponse> {
  if (!offersPasskeys(page) || (await credentialsOf(page.services, user)).length > 0) return finishSignIn(page, user, authTime);
  const session: LoginSession = { id: newUuid(), poolId: page.site.pool.id, usernameKey: user.usernameKey, authTime };
  return redirectTo(pageUrl(page, PASSKEY_ADD_PATH), { 'set-cookie': loginSessionCookie(page.services, page.site, session) });
}

function callerOf(page: PageContext, user: UserRecord): RegistrationCaller {
  return { pool: page.site.pool, user, clientId: page.client.clientId, pageOrigin: pageOrigin(page) };
}

/**
 * The page: StartWebAuthnRegistration's creation options for the session's user, a button that
 * creates the passkey (the script sends it back), and "Not now". Options the pool cannot give (no
 * relying party, the quota reached) leave only "Not now", under the error.
 */
async function passkeyAddView(page: PageContext, user: UserRecord, options: { problems?: FormProblems } = {}): Promise<HostedResponse> {
  let requestOptions: unknown;
  let problems = options.problems;
  try {
    requestOptions = await startRegistration(page.services, callerOf(page, user));
  } catch (error) {
    problems = problemsFromError(page.services, error, {});
  }
  return ceremonyPage(page, {
    title: 'Add a passkey',
    status: problems ? 400 : 200,
    problems,
    intro: html`<p class="textDescription-customizable">
      Next time, sign in as <strong>${user.username}</strong> with your fingerprint, face or screen lock instead of a password.
    </p>`,
    action: PASSKEY_ADD_PATH,
    ceremony: 'create',
    requestOptions,
    fields: html``,
    submit: { label: 'Add a passkey', name: 'addPasskey' },
    after: html`<form class="skip-form" method="post" action="${pageUrl(page, PASSKEY_ADD_PATH)}" novalidate>
      ${csrfField(page)}
      <button type="submit" class="link-button" name="skip" value="true">Not now</button>
    </form>`,
  });
}

/** Without a managed-login session there is no one to add a passkey for: to the sign-in page. */
function signInFirst(page: PageContext): HostedResponse {
  return redirectTo(pageUrl(page, '/login'));
}

/**
 * GET /passkeys/add: the page for the user of the managed-login session; where managed login
 * offers no passkeys, the authorization simply completes.
 */
export const passkeyAddPage = pageHandler(async (page) => {
  const current = await readLoginSession(page.services, page.site, page.request);
  if (!current) return signInFirst(page);
  if (!offersPasskeys(page)) return finishSignIn(page, current.user, current.session.authTime, current.session.id);
  return passkeyAddView(page, current.user);
});

/**
 * POST /passkeys/add: "Not now" completes the authorization; a credential is checked and stored
 * as CompleteWebAuthnRegistration does it (the challenge of this user and app client, the pool's
 * relying party, this page's origin), then the authorization completes. A refusal shows the page
 * again with the error.
 */
export const passkeyAddSubmit = formHandler(async (page, form) => {
  const current = await readLoginSession(page.services, page.site, page.request);
  if (!current) return signInFirst(page);
  const done = (): Promise<HostedResponse> => finishSignIn(page, current.user, current.session.authTime, current.session.id);
  if (form.get('skip') !== null || !offersPasskeys(page)) return done();
  const credential = formValue(form, 'credential');
  if (credential === '') return passkeyAddView(page, current.user, { problems: formProblem(NO_PASSKEY_GIVEN) });
  try {
    await completeRegistration(page.services, callerOf(page, current.user), parseJson(credential));
  } catch (error) {
    return passkeyAddView(page, current.user, { problems: problemsFromError(page.services, error, {}) });
  }
  return done();
});

/** The posted credential JSON; what is not JSON is no credential (the registration refuses it as malformed). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
