import type { HostedHandler, HostedResponse } from '../oauth/site.js';
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
import { confirmForgotPasswordView } from './confirm-forgot-password.js';
import { usernameLabel } from './login.js';

function forgotPasswordView(page: PageContext, options: { username?: string; error?: string; status?: number } = {}): HostedResponse {
  const label = usernameLabel(page);
  return respond(page, {
    title: 'Forgot your password?',
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">Forgot your password?</h1>
      ${errorBlock(options.error)}
      <p class="textDescription-customizable">Enter your ${label.toLowerCase()} below and we will send a message to reset your password.</p>
      <form method="post" action="${pageUrl(page, '/forgotPassword')}" novalidate>
        ${csrfField(page)}
        ${inputField({ id: 'forgotPasswordUsername', name: 'username', label, autocomplete: 'username', autofocus: true, value: options.username ?? '' })}
        ${submitButton('Reset my password', 'reset_my_password')}
      </form>
      <p class="redirect-customizable"><a href="${pageUrl(page, '/login')}">Back to sign in</a></p>`,
  });
}

/** GET /forgotPassword: asks for the user's name. */
export const forgotPasswordPage: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  return forgotPasswordView(opened.page);
};

/**
 * POST /forgotPassword: the ForgotPassword operation itself (recovery channel, user-existence
 * rules, code delivery), then the page that takes the code and the new password.
 */
export const forgotPasswordSubmit: HostedHandler = async (services, site, request) => {
  const opened = await openPage(services, site, request);
  if (!opened.ok) return opened.response;
  const page = opened.page;
  const form = readForm(request);
  if (!checkCsrf(page, form)) return forbiddenPage(page);
  const username = formValue(form, 'username');
  try {
    const sent = await runOperation(page, forgotPassword, {
      ClientId: page.client.clientId,
      Username: username,
      ...secretHashMember(page, username),
    });
    return confirmForgotPasswordView(page, { username, delivery: deliveryText(sent.CodeDeliveryDetails, 'password reset code') });
  } catch (error) {
    return forgotPasswordView(page, { username, status: 400, error: errorMessage(services, error) });
  }
};
