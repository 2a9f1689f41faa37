import type { HostedResponse } from '../oauth/site.js';
import type { AuthOutcome } from '../auth/types.js';
import type { MfaFactor } from '../domain/mfa.js';
import { answerChallenge } from '../auth/engine.js';
import { pendingTotpSecret } from '../auth/totp.js';
import { associateSoftwareToken } from '../api/ops/mfa/associate-software-token.js';
import { verifySoftwareToken } from '../api/ops/mfa/verify-software-token.js';
import { softwareTokenCaller } from '../api/ops/mfa/software-token-caller.js';
import { html } from '../lib/html.js';
import {
  formHandler,
  formPage,
  formValue,
  hostedAuthContext,
  inputField,
  pageHandler,
  runOperation,
  withSecretHash,
  type PageContext,
} from './common.js';
import { loginView } from './login.js';
import { codeAnswerFailed, nextSignInPage, sessionEnded, startOver } from './sign-in-step.js';
import { formProblem, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** The path of the authenticator setup page (Cognito's own path for it is not documented). */
export const MFA_SETUP_PATH = '/setupTotp';

const CODE_FIELD: FieldRef = { name: 'code', label: 'Code from your authenticator app', missing: 'Enter the code your app shows.' };

/**
 * The `otpauth://` key URI an authenticator app reads from the QR code: the app client's name as
 * the issuer (what the user sees in the app beside the username; Cognito's choice is not
 * documented), and the secret in base32.
 *
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function totpKeyUri(issuer: string, username: string, secret: string): string {
  // Percent-encoded throughout: authenticator apps read `+` as a plus sign, not a space.
  const name = encodeURIComponent(issuer);
  return `otpauth://totp/${name}:${encodeURIComponent(username)}?secret=${secret}&issuer=${name}`;
}

/** What to say when MFA_SETUP offers no authenticator app: the address the account lacks. */
function noAuthenticatorText(canSetUp: readonly MfaFactor[]): string {
  const needs = [...(canSetUp.includes('EMAIL_OTP') ? ['email address'] : []), ...(canSetUp.includes('SMS_MFA') ? ['phone number'] : [])];
  return `This account must use multi-factor authentication, but it has no ${needs.join(' or ') || 'address'} to send codes to, and this page cannot add one. Ask your administrator to add one to your account.`;
}

/**
 * The authenticator setup page: the secret as a QR code of its key URI (a `data:` PNG, which the
 * pages' CSP allows as an image) and as text to type in, then the first code. The Session
 * AssociateSoftwareToken returned and the user's name ride in hidden fields; the secret does not
 * (it is read back from the user's pending authenticator when the page is shown again).
 */
export async function mfaSetupView(
  page: PageContext,
  options: { session: string; username: string; secret: string; problems?: FormProblems; status?: number },
): Promise<HostedResponse> {
  const uri = totpKeyUri(page.client.name, options.username, options.secret);
  // Loaded here, not at start-up: only the TOTP set-up page draws a QR code.
  const { toDataURL } = await import('qrcode');
  const qr = await toDataURL(uri, { errorCorrectionLevel: 'M', margin: 4, scale: 5 });
  const problems = options.problems;
  return formPage(page, {
    title: 'Set up multi-factor authentication',
    heading: 'Set up an authenticator app',
    status: options.status,
    problems,
    intro: html`<p class="textDescription-customizable">
        Scan this QR code with your authenticator app, or enter the key below in it. Then enter the code the app shows.
      </p>
      <img class="qr-code" id="totpQrCode" src="${qr}" alt="QR code of the key for your authenticator app" />
      <p class="textDescription-customizable">Key: <code class="secret-key" id="totpSecret">${options.secret}</code></p>`,
    action: MFA_SETUP_PATH,
    fields: html`<input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />
      ${inputField({
        id: 'totpCode',
        name: CODE_FIELD.name,
        label: CODE_FIELD.label,
        autocomplete: 'one-time-code',
        inputmode: 'numeric',
        autofocus: true,
        error: problems?.fields[CODE_FIELD.name],
      })}`,
    submit: { label: 'Sign in', name: 'mfa_setup' },
  });
}

/**
 * MFA_SETUP, when sign-in asks for it: a new authenticator secret through AssociateSoftwareToken
 * by Session (the API's own operation), shown on the setup page. A pool that offers no
 * authenticator app leaves nothing this page can set up: the sign-in page says so.
 */
export async function mfaSetupStart(
  page: PageContext,
  options: { session: string; username: string; canSetUp: readonly MfaFactor[] },
): Promise<HostedResponse> {
  if (!options.canSetUp.includes('SOFTWARE_TOKEN_MFA')) {
    return loginView(page, { status: 400, problems: formProblem(noAuthenticatorText(options.canSetUp)) });
  }
  let associated: { SecretCode?: string; Session?: string };
  try {
    associated = await runOperation(page, associateSoftwareToken, { Session: options.session });
  } catch (error) {
    if (sessionEnded(error)) return startOver(page, error);
    return loginView(page, { status: 400, problems: problemsFromError(page.services, error, {}) });
  }
  return mfaSetupView(page, { session: associated.Session ?? '', username: options.username, secret: associated.SecretCode ?? '' });
}

/**
 * POST to the setup page: VerifySoftwareToken by Session with the first code (the API's own
 * operation: the code's check and the MFA lockout), then MFA_SETUP answered with the Session it
 * returned, which turns TOTP MFA on for the user; the sign-in goes on. A wrong code shows the page
 * again with Cognito's message and the same secret.
 */
export const mfaSetupSubmit = formHandler(async (page, form) => {
  const session = formValue(form, 'session');
  const username = formValue(form, 'username');
  const again = async (problems: FormProblems): Promise<HostedResponse> => {
    let secret: string | undefined;
    try {
      secret = pendingTotpSecret(page.services, (await softwareTokenCaller(page.services, { Session: session })).user);
    } catch (error) {
      if (sessionEnded(error)) return startOver(page, error);
      throw error;
    }
    if (secret === undefined) return loginView(page, { status: 400, problems });
    return mfaSetupView(page, { session, username, secret, status: 400, problems });
  };
  const missing = missingFields(form, [CODE_FIELD]);
  if (missing) return again(missing);
  let outcome: AuthOutcome;
  try {
    const verified = await runOperation(page, verifySoftwareToken, { Session: session, UserCode: formValue(form, CODE_FIELD.name) });
    outcome = await answerChallenge(
      hostedAuthContext(page),
      'MFA_SETUP',
      withSecretHash(page, username, { USERNAME: username }),
      verified.Session,
    );
  } catch (error) {
    return codeAnswerFailed(page, error, { field: CODE_FIELD, mismatch: 'EnableSoftwareTokenMFAException' }, again);
  }
  return nextSignInPage(page, outcome, username);
});

/** GET of the setup page has no session to answer: back to sign in. */
export const mfaSetupPage = pageHandler((page) => loginView(page));
