import type { HostedResponse } from '../oauth/site.js';
import { confirmForgotPassword } from '../api/ops/users/confirm-forgot-password.js';
import { forgotPassword } from '../api/ops/users/forgot-password.js';
import { html } from '../lib/html.js';
import {
  backToSignIn,
  clientInput,
  errorMessage,
  formHandler,
  formPage,
  formValue,
  inputField,
  pageHandler,
  runOperation,
  type PageContext,
} from './common.js';
import { deliveryText } from './confirm.js';
import { loginView } from './login.js';
import { newPasswordFields } from './signup.js';

/** The managed login's text when the two new passwords differ (best guess of Cognito's wording). */
export const PASSWORDS_DIFFER = 'Passwords do not match.';

/** The reset page: the code from the message, the new password twice. */
export function confirmForgotPasswordView(
  page: PageContext,
  options: { username: string; delivery?: string | undefined; error?: string; status?: number },
): HostedResponse {
  return formPage(page, {
    title: 'Reset your password',
    status: options.status,
    error: options.error,
    intro: html`<p class="textDescription-customizable">
      ${options.delivery ?? 'We have sent you a password reset code.'} Enter it below to reset your password.
    </p>`,
    action: '/confirmforgotPassword',
    fields: html`<input type="hidden" name="username" value="${options.username}" />
      ${inputField({ id: 'forgot_password_code', name: 'code', label: 'Code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
      ${newPasswordFields(page, false)}`,
    submit: { label: 'Change password', name: 'reset_password' },
    after: backToSignIn(page),
  });
}

/**
 * Sends a password reset code (the ForgotPassword operation itself: recovery channel, user-existence
 * rules, code delivery) and shows the reset page; a failure is shown by `failed`, given the error's
 * public message.
 */
export async function sendResetCode(
  page: PageContext,
  username: string,
  failed: (error: string) => HostedResponse,
): Promise<HostedResponse> {
  try {
    const sent = await runOperation(page, forgotPassword, clientInput(page, username));
    return confirmForgotPasswordView(page, { username, delivery: deliveryText(sent.CodeDeliveryDetails, 'password reset code') });
  } catch (error) {
    return failed(errorMessage(page.services, error));
  }
}

/**
 * Where sign-in sends a user due a password reset (RESET_REQUIRED): a reset code is sent, as
 * ForgotPassword does, and the reset page shown.
 */
export function resetAfterSignIn(page: PageContext, username: string): Promise<HostedResponse> {
  return sendResetCode(page, username, (error) => loginView(page, { status: 400, username, error }));
}

/** GET /confirmforgotPassword: the reset form for `username`. */
export const confirmForgotPasswordPage = pageHandler((page) =>
  confirmForgotPasswordView(page, { username: page.request.query.get('username') ?? '' }),
);

/**
 * POST /confirmforgotPassword: the ConfirmForgotPassword operation itself, then the sign-in page
 * for the user to sign in with the new password.
 */
export const confirmForgotPasswordSubmit = formHandler(async (page, form) => {
  const username = formValue(form, 'username');
  const password = formValue(form, 'password');
  if (password !== formValue(form, 'confirmPassword')) {
    return confirmForgotPasswordView(page, { username, status: 400, error: PASSWORDS_DIFFER });
  }
  try {
    await runOperation(page, confirmForgotPassword, {
      ...clientInput(page, username),
      ConfirmationCode: formValue(form, 'code'),
      Password: password,
    });
  } catch (error) {
    return confirmForgotPasswordView(page, { username, status: 400, error: errorMessage(page.services, error) });
  }
  return loginView(page, { username, notice: 'Your password has been changed. Sign in with your new password.' });
});
