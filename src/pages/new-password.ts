import type { HostedHandler, HostedResponse } from '../oauth/site.js';
import { completeAuthorization } from '../oauth/authorize.js';
import { answerChallenge } from '../auth/engine.js';
import { html } from '../lib/html.js';
import {
  checkCsrf,
  csrfField,
  errorBlock,
  errorMessage,
  forbiddenPage,
  formValue,
  hostedAuthContext,
  inputField,
  openPage,
  pageUrl,
  readForm,
  respond,
  secretHashFor,
  submitButton,
  type PageContext,
} from './common.js';
import { PASSWORDS_DIFFER } from './confirm-forgot-password.js';
import { loginView } from './login.js';
import { attributeField, passwordRulesList } from './signup.js';

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
  return respond(page, {
    title: 'Change password',
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">Change password</h1>
      ${errorBlock(options.error)}
      <p class="textDescription-customizable">Please enter a new password.</p>
      <form method="post" action="${pageUrl(page, NEW_PASSWORD_PATH)}" novalidate>
        ${csrfField(page)}
        <input type="hidden" name="session" value="${options.session}" />
        <input type="hidden" name="username" value="${options.username}" />
        <input type="hidden" name="requiredAttributes" value="${required.join(',')}" />
        ${inputField({ id: 'new_password', name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', autofocus: true, describedBy: 'passwordRules', extra: passwordRulesList(page, 'passwordRules') })}
        ${inputField({ id: 'confirm_password', name: 'confirmPassword', label: 'Enter new password again', type: 'password', autocomplete: 'new-password' })}
        ${required.map((name) => attributeField(name, { id: `required_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`, name: `userAttributes.${name}`, value: options.values?.get(`userAttributes.${name}`) ?? '' }))}
        ${submitButton('Send', 'change_password')}
      </form>`,
  });
}

/**
 * POST to the new-password page: answers NEW_PASSWORD_REQUIRED through the engine (policy, required
 * attributes, single-use session) and, once the user is signed in, finishes the authorization.
 */
export const newPasswordSubmit: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  const page = opened.page;
  const form = readForm(request);
  if (!checkCsrf(page, form)) return forbiddenPage(page);
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
  const secretHash = secretHashFor(page.client, username);
  if (secretHash !== undefined) responses['SECRET_HASH'] = secretHash;
  try {
    const outcome = await answerChallenge(hostedAuthContext(page), 'NEW_PASSWORD_REQUIRED', responses, session);
    if (outcome.kind === 'signed-in') return completeAuthorization(services, site, page.client, page.auth, outcome.user, outcome.authTime);
    return loginView(page, { status: 400, error: 'This sign-in step is not available on this page.' });
  } catch (error) {
    const message = errorMessage(services, error);
    // A session that expired or was spent cannot be answered again: the user starts over.
    if (message.startsWith('Invalid session')) return loginView(page, { status: 400, error: message });
    return again(400, message);
  }
};

/** GET of the new-password page has no session to answer: back to sign in. */
export const newPasswordPage: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  return loginView(opened.page);
};
