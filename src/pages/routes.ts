import type { HostedRoute } from '../oauth/site.js';
import { loginPage, loginSubmit } from './login.js';
import { signUpPage, signUpSubmit } from './signup.js';
import { confirmPage, confirmSubmit, resendCodeSubmit } from './confirm.js';
import { confirmUserPage } from './confirm-user.js';
import { RISK_FEEDBACK_PATH, riskFeedbackPage } from './risk-feedback.js';
import { forgotPasswordPage, forgotPasswordSubmit } from './forgot-password.js';
import { confirmForgotPasswordPage, confirmForgotPasswordSubmit } from './confirm-forgot-password.js';
import { NEW_PASSWORD_PATH, newPasswordPage, newPasswordSubmit } from './new-password.js';
import { MFA_CODE_PATH, mfaCodePage, mfaCodeSubmit } from './mfa-code.js';
import { MFA_SELECT_PATH, mfaSelectPage, mfaSelectSubmit } from './mfa-select.js';
import { MFA_SETUP_PATH, mfaSetupPage, mfaSetupSubmit } from './mfa-setup.js';
import { PASSKEY_ADD_PATH, PASSKEY_SIGN_IN_PATH } from './passkeys.js';
import { passkeySignInSubmit } from './passkey-sign-in.js';
import { passkeyAddPage, passkeyAddSubmit } from './passkey-add.js';

/**
 * The managed-login pages, at Cognito's paths (shared by the classic hosted UI and managed login).
 * Every form posts back to its own path with the authorization parameters in the query.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-endpoints.html
 */
export const PAGE_ROUTES: readonly HostedRoute[] = [
  { method: 'GET', path: '/login', handler: loginPage },
  { method: 'POST', path: '/login', handler: loginSubmit },
  { method: 'GET', path: '/signup', handler: signUpPage },
  { method: 'POST', path: '/signup', handler: signUpSubmit },
  { method: 'GET', path: '/confirm', handler: confirmPage },
  { method: 'POST', path: '/confirm', handler: confirmSubmit },
  { method: 'POST', path: '/resendcode', handler: resendCodeSubmit },
  { method: 'GET', path: '/confirmUser', handler: confirmUserPage },
  { method: 'GET', path: RISK_FEEDBACK_PATH, handler: riskFeedbackPage },
  { method: 'GET', path: '/forgotPassword', handler: forgotPasswordPage },
  { method: 'POST', path: '/forgotPassword', handler: forgotPasswordSubmit },
  { method: 'GET', path: '/confirmforgotPassword', handler: confirmForgotPasswordPage },
  { method: 'POST', path: '/confirmforgotPassword', handler: confirmForgotPasswordSubmit },
  { method: 'GET', path: NEW_PASSWORD_PATH, handler: newPasswordPage },
  { method: 'POST', path: NEW_PASSWORD_PATH, handler: newPasswordSubmit },
  { method: 'GET', path: MFA_CODE_PATH, handler: mfaCodePage },
  { method: 'POST', path: MFA_CODE_PATH, handler: mfaCodeSubmit },
  { method: 'GET', path: MFA_SELECT_PATH, handler: mfaSelectPage },
  { method: 'POST', path: MFA_SELECT_PATH, handler: mfaSelectSubmit },
  { method: 'GET', path: MFA_SETUP_PATH, handler: mfaSetupPage },
  { method: 'POST', path: MFA_SETUP_PATH, handler: mfaSetupSubmit },
  { method: 'POST', path: PASSKEY_SIGN_IN_PATH, handler: passkeySignInSubmit },
  { method: 'GET', path: PASSKEY_ADD_PATH, handler: passkeyAddPage },
  { method: 'POST', path: PASSKEY_ADD_PATH, handler: passkeyAddSubmit },
];
