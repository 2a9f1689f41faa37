import type { HostedResponse } from '../oauth/site.js';
import type { AuthOutcome } from '../auth/types.js';
import type { MfaFactor } from '../domain/mfa.js';
import { answerChallenge } from '../auth/engine.js';
import { html } from '../lib/html.js';
import { formHandler, formPage, formValue, hostedAuthContext, pageHandler, withSecretHash, type PageContext } from './common.js';
import { loginView } from './login.js';
import { nextSignInPage, parseFactors, sessionEnded, startOver } from './sign-in-step.js';
import { problemsFromError, type FormProblems } from './form-problems.js';

/** The path of the page that chooses a second factor (Cognito's own path for it is not documented). */
export const MFA_SELECT_PATH = '/selectMfa';

/** How each factor reads on the page. */
const FACTOR_LABEL: Readonly<Record<MfaFactor, string>> = {
  SMS_MFA: 'Text message (SMS)',
  EMAIL_OTP: 'Email',
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
};

const CHOICE_FIELD = 'mfaType';
const CHOICE_ERROR_ID = 'mfaType_error';

/**
 * The page of SELECT_MFA_TYPE: one radio button per factor the challenge offered
 * (`MFAS_CAN_CHOOSE`), the first one chosen. The Session, the user's name and the offered factors
 * ride in hidden fields; the engine accepts only a factor the session offered.
 */
export function mfaSelectView(
  page: PageContext,
  options: { session: string; username: string; choices: readonly MfaFactor[]; problems?: FormProblems; status?: number },
): HostedResponse {
  const error = options.problems?.fields[CHOICE_FIELD];
  return formPage(page, {
    title: 'Multi-factor authentication',
    heading: 'Choose how to verify your sign-in',
    status: options.status,
    problems: options.problems,
    action: MFA_SELECT_PATH,
    fields: html`<input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />
      <input type="hidden" name="choices" value="${JSON.stringify(options.choices)}" />
      <fieldset class="choices" ${error !== undefined ? html` aria-describedby="${CHOICE_ERROR_ID}"` : ''}>
        <legend class="label-customizable">Verify with</legend>
        ${error !== undefined ? html`<p class="field-error" id="${CHOICE_ERROR_ID}">${error}</p>` : ''}
        ${options.choices.map(
          (factor, index) =>
            html`<label class="choice" for="mfaType_${factor}">
              <input type="radio" id="mfaType_${factor}" name="${CHOICE_FIELD}" value="${factor}" ${index === 0 ? html` checked` : ''} />
              ${FACTOR_LABEL[factor]}
            </label>`,
        )}
      </fieldset>`,
    submit: { label: 'Continue', name: 'mfa_select' },
  });
}

/**
 * POST to the choice page: answers SELECT_MFA_TYPE with the chosen factor (ANSWER) through the
 * engine, which sends the code of SMS and email; the code page of that factor follows.
 */
export const mfaSelectSubmit = formHandler(async (page, form) => {
  const session = formValue(form, 'session');
  const username = formValue(form, 'username');
  const choices = parseFactors(formValue(form, 'choices'));
  const again = (problems: FormProblems): HostedResponse => mfaSelectView(page, { session, username, choices, status: 400, problems });
  const answer = formValue(form, CHOICE_FIELD);
  if (answer === '') return again({ fields: { [CHOICE_FIELD]: 'Choose how to get your code.' } });
  let outcome: AuthOutcome;
  try {
    outcome = await answerChallenge(
      hostedAuthContext(page),
      'SELECT_MFA_TYPE',
      withSecretHash(page, username, { USERNAME: username, ANSWER: answer }),
      session,
    );
  } catch (error) {
    if (sessionEnded(error)) return startOver(page, error);
    return again(problemsFromError(page.services, error, {}));
  }
  return nextSignInPage(page, outcome, username);
});

/** GET of the choice page has no session to answer: back to sign in. */
export const mfaSelectPage = pageHandler((page) => loginView(page));
