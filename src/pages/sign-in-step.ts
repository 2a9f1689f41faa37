import type { HostedResponse } from '../oauth/site.js';
import type { AuthOutcome } from '../auth/types.js';
import { MFA_FACTOR_ORDER, type MfaFactor } from '../domain/mfa.js';
import { CognitoError } from '../errors/cognito-error.js';
import { isError, type PageContext } from './common.js';
import { loginView, STEP_NOT_OFFERED } from './login.js';
import { newPasswordView } from './new-password.js';
import { finishPasswordSignIn } from './passkey-add.js';
import { mfaCodeView } from './mfa-code.js';
import { mfaSelectView } from './mfa-select.js';
import { mfaSetupStart } from './mfa-setup.js';
import { formProblem, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/**
 * The page that follows a step of sign-in, whichever page took it (password, new password, a
 * confirmation, an MFA code): for a signed-in user, the app (after the offer of a passkey, as
 * after any sign-in with a password), else the page of the challenge the engine asked for,
 * carrying its Session and the user's name. `username` is the name the user typed; a challenge
 * that names the internal username (`USER_ID_FOR_SRP`) carries that instead.
 */
export async function nextSignInPage(page: PageContext, outcome: AuthOutcome, username: string): Promise<HostedResponse> {
  if (outcome.kind === 'signed-in') return finishPasswordSignIn(page, outcome.user, outcome.authTime);
  if (outcome.kind === 'challenge' && outcome.session !== undefined) {
    const { session, parameters } = outcome;
    const name = parameters['USER_ID_FOR_SRP'] ?? username;
    switch (outcome.name) {
      case 'NEW_PASSWORD_REQUIRED':
        return newPasswordView(page, { session, username: name, required: parseRequired(parameters['requiredAttributes']) });
      case 'SOFTWARE_TOKEN_MFA':
      case 'SMS_MFA':
      case 'EMAIL_OTP':
        return mfaCodeView(page, {
          challenge: outcome.name,
          session,
          username: name,
          destination: parameters['CODE_DELIVERY_DESTINATION'],
        });
      case 'SELECT_MFA_TYPE':
        return mfaSelectView(page, { session, username: name, choices: parseFactors(parameters['MFAS_CAN_CHOOSE']) });
      case 'MFA_SETUP':
        return mfaSetupStart(page, { session, username: name, canSetUp: parseFactors(parameters['MFAS_CAN_SETUP']) });
      default:
        break;
    }
  }
  return loginView(page, { status: 400, username, problems: formProblem(STEP_NOT_OFFERED) });
}

/**
 * Whether an answer failed because its session can no longer be answered (expired, spent, or not
 * ours): the user then starts over on the sign-in page, with the engine's message.
 */
export function sessionEnded(error: unknown): error is CognitoError {
  return error instanceof CognitoError && error.message.startsWith('Invalid session');
}

/** The sign-in page after a session that ended, with the engine's message. */
export function startOver(page: PageContext, error: CognitoError): HostedResponse {
  return loginView(page, { status: 400, problems: formProblem(error.message) });
}

/**
 * What a page that answers with a code does when the answer failed: back to sign in when the
 * session ended; the page again with Cognito's own words beside the code field for a wrong code
 * (the error type `mismatch`); else the page again with the problem.
 */
export function codeAnswerFailed(
  page: PageContext,
  error: unknown,
  code: { field: FieldRef; mismatch: string },
  again: (problems: FormProblems) => HostedResponse | Promise<HostedResponse>,
): HostedResponse | Promise<HostedResponse> {
  if (sessionEnded(error)) return startOver(page, error);
  if (isError(error, code.mismatch)) return again({ fields: { [code.field.name]: error.message } });
  return again(problemsFromError(page.services, error, { code: code.field }));
}

/** The MFA factors of a challenge parameter (`MFAS_CAN_CHOOSE`, `MFAS_CAN_SETUP`: a JSON array), known ones only. */
export function parseFactors(json: string | undefined): MfaFactor[] {
  return parseNames(json).filter((name): name is MfaFactor => (MFA_FACTOR_ORDER as readonly string[]).includes(name));
}

/** The attribute names of NEW_PASSWORD_REQUIRED's `requiredAttributes` (`["userAttributes.name", ...]`). */
function parseRequired(json: string | undefined): string[] {
  return parseNames(json).map((n) => n.replace(/^userAttributes\./, ''));
}

/** The strings of a JSON array parameter; none when it is absent or not an array. */
function parseNames(json: string | undefined): string[] {
  if (json === undefined) return [];
  try {
    const names: unknown = JSON.parse(json);
    if (!Array.isArray(names)) return [];
    return names.filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}
