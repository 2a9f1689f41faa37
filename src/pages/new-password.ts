import type { HostedResponse } from '../oauth/site.js';
import { answerChallenge } from '../auth/engine.js';
import type { AuthOutcome } from '../auth/types.js';
import { html } from '../lib/html.js';
import { formHandler, formPage, formValue, hostedAuthContext, pageHandler, withSecretHash, type PageContext } from './common.js';
import { loginView } from './login.js';
import { nextSignInPage, sessionEnded, startOver } from './sign-in-step.js';
import {
  CONFIRM_PASSWORD_FIELD,
  NEW_PASSWORD_FIELD,
  attributeField,
  attributeLabel,
  newPasswordFields,
  newPasswordProblems,
} from './signup.js';
import { firstProblemField, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** The path of the new-password page (Cognito's own path for it is not documented). */
export const NEW_PASSWORD_PATH = '/forceChangePassword';

/** Attribute names as they may appear in a field name. */
const ATTRIBUTE_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u;

/** A required attribute's field, as its problems name it. */
function attributeRef(name: string): FieldRef {
  return { name: `userAttributes.${name}`, label: attributeLabel(name) };
}

/**
 * The page a user signing in with a temporary password gets (NEW_PASSWORD_REQUIRED): the new
 * password twice, and any required attribute the user lacks. The challenge's Session and the
 * user's name ride in hidden fields; the engine checks both belong together.
 */
export function newPasswordView(
  page: PageContext,
  options: {
    session: string;
    username: string;
    required: readonly string[];
    problems?: FormProblems;
    status?: number;
    values?: URLSearchParams;
  },
): HostedResponse {
  const required = options.required.filter((name) => ATTRIBUTE_NAME.test(name));
  const problems = options.problems;
  const order = [NEW_PASSWORD_FIELD.name, CONFIRM_PASSWORD_FIELD.name, ...required.map((name) => attributeRef(name).name)];
  const focus = firstProblemField(problems, order, NEW_PASSWORD_FIELD.name);
  return formPage(page, {
    title: 'Change password',
    status: options.status,
    problems,
    intro: html`<p class="textDescription-customizable">Please enter a new password.</p>`,
    action: NEW_PASSWORD_PATH,
    fields: html`<input type="hidden" name="session" value="${options.session}" />
      <input type="hidden" name="username" value="${options.username}" />
      <input type="hidden" name="requiredAttributes" value="${required.join(',')}" />
      ${newPasswordFields(page, focus, problems)}
      ${required.map((name) => {
        const ref = attributeRef(name);
        return attributeField(name, {
          id: `required_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`,
          name: ref.name,
          value: options.values?.get(ref.name) ?? '',
          autofocus: focus === ref.name,
          error: problems?.fields[ref.name],
        });
      })}`,
    submit: { label: 'Send', name: 'change_password' },
  });
}

/**
 * POST to the new-password page: answers NEW_PASSWORD_REQUIRED through the engine (policy, required
 * attributes, single-use session); the next step follows (an MFA page, or the app once signed in).
 */
export const newPasswordSubmit = formHandler(async (page, form) => {
  const session = formValue(form, 'session');
  const username = formValue(form, 'username');
  const required = formValue(form, 'requiredAttributes')
    .split(',')
    .filter((n) => n !== '' && ATTRIBUTE_NAME.test(n));
  const again = (problems: FormProblems): HostedResponse => {
    form.delete(NEW_PASSWORD_FIELD.name);
    form.delete(CONFIRM_PASSWORD_FIELD.name);
    return newPasswordView(page, { session, username, required, status: 400, problems, values: form });
  };
  const local = { ...newPasswordProblems(form)?.fields, ...missingFields(form, required.map(attributeRef))?.fields };
  if (Object.keys(local).length > 0) return again({ fields: local });
  const responses: Record<string, string> = { USERNAME: username, NEW_PASSWORD: formValue(form, NEW_PASSWORD_FIELD.name) };
  for (const name of required) responses[`userAttributes.${name}`] = formValue(form, `userAttributes.${name}`);
  let outcome: AuthOutcome;
  try {
    outcome = await answerChallenge(hostedAuthContext(page), 'NEW_PASSWORD_REQUIRED', withSecretHash(page, username, responses), session);
  } catch (error) {
    if (sessionEnded(error)) return startOver(page, error);
    return again(
      problemsFromError(page.services, error, {
        password: NEW_PASSWORD_FIELD,
        attribute: (name) => (required.includes(name) ? attributeRef(name) : undefined),
        policy: page.site.pool.config.Policies?.PasswordPolicy,
      }),
    );
  }
  return nextSignInPage(page, outcome, username);
});

/** GET of the new-password page has no session to answer: back to sign in. */
export const newPasswordPage = pageHandler((page) => loginView(page));
