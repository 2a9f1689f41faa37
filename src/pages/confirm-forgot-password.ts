import type { HostedHandler, HostedResponse } from '../oauth/site.js';
import { confirmForgotPassword } from '../api/ops/users/confirm-forgot-password.js';
import { forgotPassword } from '../api/ops/users/forgot-password.js';
import { html } from '../lib/html.js';
import {
  checkCsrf,
  csrfField,
  errorBlock,
  errorMessage,
  forbiddenPage,
  formValue,
  inputField,
  openPage,
  pageUrl,
  readForm,
  respond,
  runOperation,
  submitButton,
  type PageContext,
} from './common.js';
import { deliveryText, secretHashMember } from './confirm.js';
import { loginView } from './login.js';
import { passwordRulesList } from './signup.js';

/** The managed login's text when the two new passwords differ (best guess of Cognito's wording). */
export const PASSWORDS_DIFFER = 'Passwords do not match.';

/** The reset page: the code from the message, the new password twice. */
export function confirmForgotPasswordView(
  page: PageContext,
  options: { username: string; delivery?: string | undefined; error?: string; status?: number },
): HostedResponse {
  return respond(page, {
    title: 'Reset your password',
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">Reset your password</h1>
      ${errorBlock(options.error)}
      <p class="textDescription-customizable">
        ${options.delivery ?? 'We have sent you a password reset code.'} Enter it below to reset your password.
      </p>
      <form method="post" action="${pageUrl(page, '/confirmforgotPassword')}" novalidate>
        ${csrfField(page)}
        <input type="hidden" name="username" value="${options.username}" />
        ${inputField({ id: 'forgot_password_code', name: 'code', label: 'Code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
        ${inputField({ id: 'new_password', name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', describedBy: 'passwordRules', extra: passwordRulesList(page, 'passwordRules') })}
        ${inputField({ id: 'confirm_password', name: 'confirmPassword', label: 'Enter new password again', type: 'password', autocomplete: 'new-password' })}
        ${submitButton('Change password', 'reset_password')}
      </form>
      <p class="redirect-customizable"><a href="${pageUrl(page, '/login')}">Back to sign in</a></p>`,
  });
}

/**
 * Where sign-in sends a user due a password reset (RESET_REQUIRED): a reset code is sent, as
 * ForgotPassword does, and the reset page shown.
 */
export async function resetAfterSignIn(page: PageContext, username: string): Promise<HostedResponse> {
  try {
    const sent = await runOperation(page, forgotPassword, {
      ClientId: page.client.clientId,
      Username: username,
      ...secretHashMember(page, username),
    });
    return confirmForgotPasswordView(page, { username, delivery: deliveryText(sent.CodeDeliveryDetails, 'password reset code') });
  } catch (error) {
    return loginView(page, { status: 400, username, error: errorMessage(page.services, error) });
  }
}

/** GET /confirmforgotPassword: the reset form for `username`. */
export const confirmForgotPasswordPage: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  return confirmForgotPasswordView(opened.page, { username: request.query.get('username') ?? '' });
};

/**
 * POST /confirmforgotPassword: the ConfirmForgotPassword operation itself, then the sign-in page
 * for the user to sign in with the new password.
 */
export const confirmForgotPasswordSubmit: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  const page = opened.page;
  const form = readForm(request);
  if (!checkCsrf(page, form)) return forbiddenPage(page);
  const username = formValue(form, 'username');
  const password = formValue(form, 'password');
  if (password !== formValue(form, 'confirmPassword')) {
    return confirmForgotPasswordView(page, { username, status: 400, error: PASSWORDS_DIFFER });
  }
  try {
    await runOperation(page, confirmForgotPassword, {
      ClientId: page.client.clientId,
      Username: username,
      ConfirmationCode: formValue(form, 'code'),
      Password: password,
      ...secretHashMember(page, username),
    });
  } catch (error) {
    return confirmForgotPasswordView(page, { username, status: 400, error: errorMessage(services, error) });
  }
  return loginView(page, { username, notice: 'Your password has been changed. Sign in with your new password.' });
};
