import type { HostedResponse } from '../oauth/site.js';
import { confirmForgotPassword } from '../api/ops/users/confirm-forgot-password.js';
import { forgotPassword } from '../api/ops/users/forgot-password.js';
import { html } from '../lib/html.js';
import {
  backToSignIn,
  clientInput,
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
import { CONFIRM_PASSWORD_FIELD, NEW_PASSWORD_FIELD, newPasswordFields, newPasswordProblems } from './signup.js';
import { firstProblemField, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** The reset code's field, as its problems name it. */
const RESET_CODE: FieldRef = { name: 'code', label: 'Code', missing: 'Enter the code we sent you.' };

/** The reset page: the code from the message, the new password twice. */
export function confirmForgotPasswordView(
  page: PageContext,
  options: { username: string; delivery?: string | undefined; problems?: FormProblems; status?: number },
): HostedResponse {
  const problems = options.problems;
  const focus = firstProblemField(problems, [RESET_CODE.name, NEW_PASSWORD_FIELD.name, CONFIRM_PASSWORD_FIELD.name], RESET_CODE.name);
  return formPage(page, {
    title: 'Reset your password',
    status: options.status,
    problems,
    intro: html`<p class="textDescription-customizable">
      ${options.delivery ?? 'We have sent you a password reset code.'} Enter it below to reset your password.
    </p>`,
    action: '/confirmforgotPassword',
    fields: html`<input type="hidden" name="username" value="${options.username}" />
      ${inputField({ id: 'forgot_password_code', name: RESET_CODE.name, label: RESET_CODE.label, autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: focus === RESET_CODE.name, error: problems?.fields[RESET_CODE.name] })}
      ${newPasswordFields(page, focus, problems)}`,
    submit: { label: 'Change password', name: 'reset_password' },
    after: backToSignIn(page),
  });
}

/**
 * Sends a password reset code (the ForgotPassword operation itself: recovery channel, user-existence
 * rules, code delivery) and shows the reset page; a failure is shown by `failed`, given its
 * problems (an unknown user beside `username`, when given).
 */
export async function sendResetCode(
  page: PageContext,
  username: string,
  failed: (problems: FormProblems) => HostedResponse,
  usernameField?: FieldRef,
): Promise<HostedResponse> {
  try {
    const sent = await runOperation(page, forgotPassword, clientInput(page, username));
    return confirmForgotPasswordView(page, { username, delivery: deliveryText(sent.CodeDeliveryDetails, 'password reset code') });
  } catch (error) {
    return failed(problemsFromError(page.services, error, usernameField ? { username: usernameField } : {}));
  }
}

/**
 * Where sign-in sends a user due a password reset (RESET_REQUIRED): a reset code is sent, as
 * ForgotPassword does, and the reset page shown.
 */
export function resetAfterSignIn(page: PageContext, username: string): Promise<HostedResponse> {
  return sendResetCode(page, username, (problems) => loginView(page, { status: 400, username, problems }));
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
  const local = { ...missingFields(form, [RESET_CODE])?.fields, ...newPasswordProblems(form)?.fields };
  if (Object.keys(local).length > 0) return confirmForgotPasswordView(page, { username, status: 400, problems: { fields: local } });
  try {
    await runOperation(page, confirmForgotPassword, {
      ...clientInput(page, username),
      ConfirmationCode: formValue(form, RESET_CODE.name),
      Password: formValue(form, NEW_PASSWORD_FIELD.name),
    });
  } catch (error) {
    const problems = problemsFromError(page.services, error, {
      code: RESET_CODE,
      password: NEW_PASSWORD_FIELD,
      policy: page.site.pool.config.Policies?.PasswordPolicy,
    });
    return confirmForgotPasswordView(page, { username, status: 400, problems });
  }
  return loginView(page, { username, notice: 'Your password has been changed. Sign in with your new password.' });
});
