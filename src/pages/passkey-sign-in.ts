import type { HostedResponse } from '../oauth/site.js';
import { answerChallenge, startAuth } from '../auth/engine.js';
import { html } from '../lib/html.js';
import { backToSignIn, finishSignIn, formHandler, formValue, hostedAuthContext, withSecretHash, type PageContext } from './common.js';
import { loginView, STEP_NOT_OFFERED, usernameLabel } from './login.js';
import { ceremonyPage, offersPasskeys, PASSKEY_SIGN_IN_PATH } from './passkeys.js';
import { formProblem, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** What the sign-in page says of an option the app does not offer (Cognito's text). */
const OPTION_NOT_AVAILABLE = 'Login option is not available. Please try another one';

/** What the page says when the form came back without a passkey (no script ran, or none was given). */
const NO_PASSKEY_GIVEN = 'Your browser did not give a passkey. Try again, or sign in with your password.';

function usernameRef(page: PageContext): FieldRef {
  return { name: 'username', label: usernameLabel(page) };
}

/**
 * The page of a passkey sign-in: the WEB_AUTHN challenge's request options for the script, its
 * Session and the name typed in hidden fields (the engine checks they belong together).
 */
function passkeySignInView(
  page: PageContext,
  options: { username: string; session: string; requestOptions: unknown; problems?: FormProblems; status?: number },
): HostedResponse {
  return ceremonyPage(page, {
    title: 'Sign in with passkey',
    status: options.status,
    problems: options.problems,
    intro: html`<p class="textDescription-customizable">
      Signing in as <strong>${options.username}</strong>. Use your passkey when your browser asks for it.
    </p>`,
    action: PASSKEY_SIGN_IN_PATH,
    ceremony: 'get',
    requestOptions: options.requestOptions,
    fields: html`<input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />`,
    submit: { label: 'Use passkey', name: 'usePasskey' },
    after: backToSignIn(page),
  });
}

/**
 * Starts a passkey sign-in for the name typed: USER_AUTH with PREFERRED_CHALLENGE WEB_AUTHN
 * through the engine. Its WEB_AUTHN challenge becomes the ceremony's page. A user without a
 * passkey gets SELECT_CHALLENGE instead, without WEB_AUTHN: choosing it anyway gets the engine's
 * own refusal, which the sign-in page shows.
 */
async function startPasskeySignIn(page: PageContext, username: string, problems?: FormProblems): Promise<HostedResponse> {
  const ctx = hostedAuthContext(page);
  const outcome = await startAuth(
    ctx,
    'USER_AUTH',
    withSecretHash(page, username, { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }),
  );
  if (outcome.kind === 'challenge' && outcome.session !== undefined) {
    const requestOptions = outcome.parameters['CREDENTIAL_REQUEST_OPTIONS'];
    if (outcome.name === 'WEB_AUTHN' && requestOptions !== undefined) {
      return passkeySignInView(page, {
        username,
        session: outcome.session,
        requestOptions: JSON.parse(requestOptions) as unknown,
        ...(problems ? { problems, status: 400 } : {}),
      });
    }
    if (outcome.name === 'SELECT_CHALLENGE') {
      await answerChallenge(
        ctx,
        'SELECT_CHALLENGE',
        withSecretHash(page, username, { USERNAME: username, ANSWER: 'WEB_AUTHN' }),
        outcome.session,
      );
    }
  }
  return loginView(page, { status: 400, username, problems: formProblem(STEP_NOT_OFFERED) });
}

/**
 * POST /passkeys/sign-in, from the sign-in page's "Sign in with passkey" (the name typed) or from
 * the ceremony's page (the name, the Session and the browser's credential JSON). The first starts
 * the ceremony; the second answers the WEB_AUTHN challenge through the engine (the credential of
 * this user, for the pool's relying party, from this page's origin) and finishes the sign-in.
 * Every refusal is shown on the sign-in page with the name kept.
 */
export const passkeySignInSubmit = formHandler(async (page, form) => {
  const username = formValue(form, 'username');
  if (!offersPasskeys(page)) return loginView(page, { status: 400, username, problems: formProblem(OPTION_NOT_AVAILABLE) });
  const missing = missingFields(form, [usernameRef(page)]);
  if (missing) return loginView(page, { status: 400, username, problems: missing });
  const session = formValue(form, 'session');
  const credential = formValue(form, 'credential');
  try {
    if (session === '') return await startPasskeySignIn(page, username);
    if (credential === '') return await startPasskeySignIn(page, username, formProblem(NO_PASSKEY_GIVEN));
    const outcome = await answerChallenge(
      hostedAuthContext(page),
      'WEB_AUTHN',
      withSecretHash(page, username, { USERNAME: username, CREDENTIAL: credential }),
      session,
    );
    if (outcome.kind === 'signed-in') return await finishSignIn(page, outcome.user, outcome.authTime);
    return loginView(page, { status: 400, username, problems: formProblem(STEP_NOT_OFFERED) });
  } catch (error) {
    return loginView(page, { status: 400, username, problems: problemsFromError(page.services, error, { username: usernameRef(page) }) });
  }
});
