import type { HostedResponse } from '../oauth/site.js';
import { readLoginSession } from '../oauth/login-session.js';
import { startAuth } from '../auth/engine.js';
import type { AuthOutcome } from '../auth/types.js';
import { html, type SafeHtml } from '../lib/html.js';
import {
  csrfField,
  finishSignIn,
  formHandler,
  formValue,
  hostedAuthContext,
  inputField,
  isError,
  noticeBlock,
  pageHandler,
  pageUrl,
  problemsBlock,
  respond,
  submitButton,
  withSecretHash,
  type PageContext,
} from './common.js';
import { signInTexts, type SignInTexts, type UsernameKind } from './sign-in-texts.js';
import { confirmAfterSignIn } from './confirm.js';
import { resetAfterSignIn } from './confirm-forgot-password.js';
import { nextSignInPage } from './sign-in-step.js';
import { offersPasskeys, PASSKEY_SIGN_IN_PATH } from './passkeys.js';
import { firstProblemField, formProblem, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** What a page says when sign-in needs a step managed login does not take here. */
export const STEP_NOT_OFFERED = 'This sign-in step is not available on this page.';

/** The social providers, whose names are fixed, and how their buttons read. */
const SOCIAL: Readonly<Record<string, string>> = {
  Google: 'Google',
  Facebook: 'Facebook',
  LoginWithAmazon: 'Amazon',
  SignInWithApple: 'Apple',
};

/** What the sign-in field asks for, from the pool's sign-in names. */
function usernameKind(page: PageContext): UsernameKind {
  const attributes = page.site.pool.config.UsernameAttributes ?? [];
  if (attributes.includes('email') && attributes.includes('phone_number')) return 'emailOrPhone';
  if (attributes.includes('email')) return 'email';
  if (attributes.includes('phone_number')) return 'phone';
  return 'username';
}

/** The sign-in field's label in English, as the other pages and the form problems name it. */
export function usernameLabel(page: PageContext): string {
  return signInTexts(undefined).labels[usernameKind(page)];
}

/** Whether the client signs users in with the pool's own directory (not only through IdPs). */
function offersCognito(page: PageContext): boolean {
  return (page.client.config.SupportedIdentityProviders ?? []).includes('COGNITO');
}

function providerButtons(page: PageContext, texts: SignInTexts): SafeHtml {
  const providers = (page.client.config.SupportedIdentityProviders ?? []).filter((name) => name !== 'COGNITO');
  if (providers.length === 0) return html``;
  const link = (name: string): string => pageUrl(page, '/oauth2/authorize', { identity_provider: name });
  const social = providers.filter((name) => SOCIAL[name] !== undefined);
  const corporate = providers.filter((name) => SOCIAL[name] === undefined);
  return html`${
    corporate.length > 0
      ? html`<span class="idpDescription-customizable">${texts.corporate}</span>
          ${corporate.map((name) => html`<a class="btn idpButton-customizable" href="${link(name)}">${name}</a>`)}`
      : ''
  }${
    social.length > 0
      ? html`<span class="idpDescription-customizable">${texts.social}</span>
          ${social.map((name) => html`<a class="btn socialButton-customizable" href="${link(name)}">${texts.continueWith(SOCIAL[name] ?? name)}</a>`)}
          <p class="legalText-customizable">${texts.legal}</p>`
      : ''
  }`;
}

/** The sign-in form's fields, in page order, as their problems name them. */
function loginFields(page: PageContext): [FieldRef, FieldRef] {
  return [
    { name: 'username', label: usernameLabel(page) },
    { name: 'password', label: 'Password' },
  ];
}

/**
 * The sign-in page: the client's identity providers, then the username and password form, whose
 * "Sign in with passkey" (where managed login offers passkeys) posts the name to the passkey page.
 */
export function loginView(
  page: PageContext,
  options: { problems?: FormProblems; notice?: string; username?: string; status?: number } = {},
): HostedResponse {
  const texts = signInTexts(page.auth.lang);
  const kind = usernameKind(page);
  const idps = providerButtons(page, texts);
  const cognito = offersCognito(page);
  const problems = options.problems;
  const focus = firstProblemField(
    problems,
    loginFields(page).map((f) => f.name),
    options.username === undefined || options.username === '' ? 'username' : 'password',
  );
  const form = cognito
    ? html`<h1 class="textDescription-customizable">${texts.headings[kind]}</h1>
        ${noticeBlock(options.notice)}${problemsBlock(problems)}
        <form method="post" action="${pageUrl(page, '/login')}" novalidate>
          ${csrfField(page)}
          ${inputField({ id: 'signInFormUsername', name: 'username', label: texts.labels[kind], autocomplete: 'username', autofocus: focus === 'username', value: options.username, error: problems?.fields['username'] })}
          ${inputField({ id: 'signInFormPassword', name: 'password', label: texts.password, type: 'password', autocomplete: 'current-password', autofocus: focus === 'password', error: problems?.fields['password'] })}
          <p class="redirect-customizable forgot-link"><a href="${pageUrl(page, '/forgotPassword')}">${texts.forgotPassword}</a></p>
          ${submitButton(texts.submit, 'signInSubmitButton')}
          ${
            offersPasskeys(page)
              ? html`<button type="submit" class="passkey-button" name="passkey" formaction="${pageUrl(page, PASSKEY_SIGN_IN_PATH)}">
                  ${texts.passkey}
                </button>`
              : ''
          }
        </form>
        ${
          page.site.pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly
            ? ''
            : html`<p class="redirect-customizable">
                <span class="textDescription-customizable">${texts.needAccount}</span>
                <a href="${pageUrl(page, '/signup')}">${texts.signUp}</a>
              </p>`
        }`
    : html`${noticeBlock(options.notice)}${problemsBlock(problems)}`;
  return respond(page, {
    title: texts.title,
    status: options.status ?? 200,
    body: html`${idps}${idps.value !== '' && cognito ? html`<div class="divider" role="separator">${texts.or}</div>` : ''}${form}`,
  });
}

/**
 * GET /login: the sign-in page. A browser that already holds a managed-login session for the pool
 * goes straight back to the app, as Cognito's does, unless the app asked for `prompt=login`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/login-endpoint.html
 */
export const loginPage = pageHandler(async (page) => {
  if (page.auth.prompt !== 'login') {
    const current = await readLoginSession(page.services, page.site, page.request);
    if (current) return finishSignIn(page, current.user, current.session.authTime, current.session.id);
  }
  return loginView(page);
});

/**
 * POST /login: signs in through the one sign-in engine (password check, lockout, user state), as
 * USER_PASSWORD_AUTH does but without needing that flow on the client. A temporary password leads
 * to the new-password page, a second factor to the MFA pages, an unconfirmed user (whose password
 * was right) to the confirmation page, a user due a reset to the reset page; a success finishes
 * the authorization, after the offer of a passkey where managed login offers them.
 */
export const loginSubmit = formHandler(async (page, form) => {
  const username = formValue(form, 'username');
  if (!offersCognito(page))
    return loginView(page, { status: 400, problems: formProblem('Login option is not available. Please try another one') });
  const missing = missingFields(form, loginFields(page));
  if (missing) return loginView(page, { status: 400, username, problems: missing });
  const parameters = withSecretHash(page, username, { USERNAME: username, PASSWORD: formValue(form, 'password') });
  let outcome: AuthOutcome;
  try {
    outcome = await startAuth(hostedAuthContext(page), 'USER_PASSWORD_AUTH', parameters);
  } catch (error) {
    if (isError(error, 'UserNotConfirmedException')) return confirmAfterSignIn(page, username);
    if (isError(error, 'PasswordResetRequiredException')) return resetAfterSignIn(page, username);
    const [usernameRef, passwordRef] = loginFields(page);
    return loginView(page, {
      status: 400,
      username,
      problems: problemsFromError(page.services, error, { username: usernameRef, password: passwordRef }),
    });
  }
  return nextSignInPage(page, outcome, username);
});
