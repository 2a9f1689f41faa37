import type { HostedResponse } from '../oauth/site.js';
import { answerChallenge } from '../auth/engine.js';
import { html } from '../lib/html.js';
import {
  errorMessage,
  finishSignIn,
  formHandler,
  formPage,
  formValue,
  hostedAuthContext,
  pageHandler,
  withSecretHash,
  type PageContext,
} from './common.js';
import { PASSWORDS_DIFFER } from './confirm-forgot-password.js';
import { loginView } from './login.js';
import { attributeField, newPasswordFields } from './signup.js';

/** The path of the new-password page (Cognito's own path for it is not documented). */
export const NEW_PASSWORD_PATH = '/forceChangePassword';

/** Attribute names as they may appear in a field name. */
const ATTRIBUTE_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u;

/**
 * The page a user signing in with a temporary password gets (NEW_PASSWORD_REQUIRED): the new
 * password twice, and any required attribute the user lacks. The challenge's Session and the
 * user's name ride in hidden fields; the engine checks both belong together.
 */
export function newPasswordView(
  page: PageContext,
  options: { session: string; username: string; required: readonly string[]; error?: string; status?: number; values?: URLSearchParams },
): HostedResponse {
  const required = options.required.filter((name) => ATTRIBUTE_NAME.test(name));
  return formPage(page, {
    title: 'Change password',
    status: options.status,
    error: options.error,
    intro: html`<p class="textDescription-customizable">Please enter a new password.</p>`,
    action: NEW_PASSWORD_PATH,
    fields: html`<input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />
      <input type="hidden" name="requiredAttributes" value="${required.join(',')}" />
      ${newPasswordFields(page, true)}
      ${required.map((name) => attributeField(name, { id: `required_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`, name: `userAttributes.${name}`, value: options.values?.get(`userAttributes.${name}`) ?? '' }))}`,
    submit: { label: 'Send', name: 'change_password' },
  });
}

/**
 * POST to the new-password page: answers NEW_PASSWORD_REQUIRED through the engine (policy, required
 * attributes, single-use session) and, once the user is signed in, finishes the authorization.
 */
export const newPasswordSubmit = formHandler(async (page, form) => {
  const session = formValue(form, 'session');
  const username = formValue(form, 'username');
  const required = formValue(form, 'requiredAttributes')
    .split(',')
    .filter((n) => n !== '');
  const again = (status: number, error: string): HostedResponse =>
    newPasswordView(page, { session, username, required, status, error, values: form });
  const password = formValue(form, 'password');
  if (password !== formValue(form, 'confirmPassword')) return again(400, PASSWORDS_DIFFER);
  const responses: Record<string, string> = { USERNAME: username, NEW_PASSWORD: password };
  for (const name of required) {
    const value = formValue(form, `userAttributes.${name}`);
    if (value !== '') responses[`userAttributes.${name}`] = value;
  }
  try {
    const outcome = await answerChallenge(
      hostedAuthContext(page),
      'NEW_PASSWORD_REQUIRED',
      withSecretHash(page, username, responses),
      session,
    );
    if (outcome.kind === 'signed-in') return finishSignIn(page, outcome.user, outcome.authTime);
    return loginView(page, { status: 400, error: 'This sign-in step is not available on this page.' });
  } catch (error) {
    const message = errorMessage(page.services, error);
    // A session that expired or was spent cannot be answered again: the user starts over.
    if (message.startsWith('Invalid session')) return loginView(page, { status: 400, error: message });
    return again(400, message);
  }
});

/** GET of the new-password page has no session to answer: back to sign in. */
export const newPasswordPage = pageHandler((page) => loginView(page));
