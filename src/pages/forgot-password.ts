import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
import { backToSignIn, formHandler, formPage, formValue, inputField, pageHandler, type PageContext } from './common.js';
import { sendResetCode } from './confirm-forgot-password.js';
import { usernameLabel } from './login.js';
import { missingFields, type FieldRef, type FormProblems } from './form-problems.js';

/** The username field of the page, as its problems name it. */
function usernameField(page: PageContext): FieldRef {
  return { name: 'username', label: usernameLabel(page) };
}

function forgotPasswordView(
  page: PageContext,
  options: { username?: string; problems?: FormProblems; status?: number } = {},
): HostedResponse {
  const label = usernameLabel(page);
  return formPage(page, {
    title: 'Forgot your password?',
    status: options.status,
    problems: options.problems,
    intro: html`<p class="textDescription-customizable">
      Enter your ${label.toLowerCase()} below and we will send a message to reset your password.
    </p>`,
    action: '/forgotPassword',
    fields: inputField({
      id: 'forgotPasswordUsername',
      name: 'username',
      label,
      autocomplete: 'username',
      autofocus: true,
      value: options.username ?? '',
      error: options.problems?.fields['username'],
    }),
    submit: { label: 'Reset my password', name: 'reset_my_password' },
    after: backToSignIn(page),
  });
}

/** GET /forgotPassword: asks for the user's name. */
export const forgotPasswordPage = pageHandler((page) => forgotPasswordView(page));

/**
 * POST /forgotPassword: the ForgotPassword operation itself (recovery channel, user-existence
 * rules, code delivery), then the page that takes the code and the new password.
 */
export const forgotPasswordSubmit = formHandler(async (page, form) => {
  const username = formValue(form, 'username');
  const field = usernameField(page);
  const missing = missingFields(form, [field]);
  if (missing) return forgotPasswordView(page, { username, status: 400, problems: missing });
  return sendResetCode(page, username, (problems) => forgotPasswordView(page, { username, status: 400, problems }), field);
});
