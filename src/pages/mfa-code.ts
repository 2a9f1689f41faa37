import type { HostedResponse } from '../oauth/site.js';
import type { AuthOutcome } from '../auth/types.js';
import { answerChallenge } from '../auth/engine.js';
import { html } from '../lib/html.js';
import {
  formHandler,
  formPage,
  formValue,
  hostedAuthContext,
  inputField,
  pageHandler,
  withSecretHash,
  type PageContext,
} from './common.js';
import { loginView, STEP_NOT_OFFERED } from './login.js';
import { codeAnswerFailed, nextSignInPage } from './sign-in-step.js';
import { formProblem, missingFields, type FieldRef, type FormProblems } from './form-problems.js';

/** The path of the MFA code page (Cognito's own path for it is not documented). */
export const MFA_CODE_PATH = '/mfa';

/** The challenges this page answers with a code, and the response that carries it. */
const CODE_PARAMETER = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
} as const;

export type CodeChallenge = keyof typeof CODE_PARAMETER;

function isCodeChallenge(name: string): name is CodeChallenge {
  return Object.hasOwn(CODE_PARAMETER, name);
}

const CODE_FIELD: FieldRef = { name: 'code', label: 'Code', missing: 'Enter the code.' };

/** What the page says of the code: where SMS and email codes went (masked, as the challenge names it), or the app to look at. */
function codeIntro(challenge: CodeChallenge, destination: string | undefined): string {
  if (challenge === 'SOFTWARE_TOKEN_MFA') return 'Enter the code from your authenticator app to complete sign-in.';
  const medium = challenge === 'SMS_MFA' ? 'SMS' : 'email';
  const to = destination !== undefined && destination !== '' ? ` to ${destination}` : '';
  return `We have delivered the authentication code by ${medium}${to}. Please enter the code to complete authentication.`;
}

/**
 * The page of a second factor answered with a code (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP). The
 * challenge, its Session, the user's name and where the code went ride in hidden fields; the
 * engine checks that the session was issued for that challenge and that user.
 */
export function mfaCodeView(
  page: PageContext,
  options: {
    challenge: CodeChallenge;
    session: string;
    username: string;
    destination?: string | undefined;
    problems?: FormProblems;
    status?: number;
  },
): HostedResponse {
  const problems = options.problems;
  return formPage(page, {
    title: 'Multi-factor authentication',
    status: options.status,
    problems,
    intro: html`<p class="textDescription-customizable" id="mfaCodeDescription">${codeIntro(options.challenge, options.destination)}</p>`,
    action: MFA_CODE_PATH,
    fields: html`<input type="hidden" name="challenge" value="${options.challenge}" />
      <input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />
      ${options.destination !== undefined ? html`<input type="hidden" name="destination" value="${options.destination}" />` : ''}
      ${inputField({
        id: 'mfaCode',
        name: CODE_FIELD.name,
        label: CODE_FIELD.label,
        autocomplete: 'one-time-code',
        inputmode: 'numeric',
        autofocus: true,
        describedBy: 'mfaCodeDescription',
        error: problems?.fields[CODE_FIELD.name],
      })}`,
    submit: { label: 'Sign in', name: 'mfa_submit' },
  });
}

/**
 * POST to the MFA code page: answers the challenge with the code through the engine (the code's
 * check, the MFA lockout, the single-use session). A wrong code shows the page again with Cognito's
 * message; a session that ended sends the user back to sign in; the next step follows a right one.
 */
export const mfaCodeSubmit = formHandler(async (page, form) => {
  const challenge = formValue(form, 'challenge');
  if (!isCodeChallenge(challenge)) return loginView(page, { status: 400, problems: formProblem(STEP_NOT_OFFERED) });
  const session = formValue(form, 'session');
  const username = formValue(form, 'username');
  const destination = form.get('destination') ?? undefined;
  const again = (problems: FormProblems): HostedResponse =>
    mfaCodeView(page, { challenge, session, username, destination, status: 400, problems });
  const missing = missingFields(form, [CODE_FIELD]);
  if (missing) return again(missing);
  const responses = { USERNAME: username, [CODE_PARAMETER[challenge]]: formValue(form, CODE_FIELD.name) };
  let outcome: AuthOutcome;
  try {
    outcome = await answerChallenge(hostedAuthContext(page), challenge, withSecretHash(page, username, responses), session);
  } catch (error) {
    return codeAnswerFailed(page, error, { field: CODE_FIELD, mismatch: 'CodeMismatchException' }, again);
  }
  return nextSignInPage(page, outcome, username);
});

/** GET of the MFA code page has no session to answer: back to sign in. */
export const mfaCodePage = pageHandler((page) => loginView(page));
