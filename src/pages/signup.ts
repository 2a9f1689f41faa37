import type { HostedResponse } from '../oauth/site.js';
import type { AttributeType, PasswordPolicyType } from '../generated/cognito-idp/shapes.js';
import { signUp } from '../api/ops/users/sign-up.js';
import { resolveUser } from '../auth/resolve-user.js';
import { DEFAULT_PASSWORD_POLICY } from '../domain/password-policy.js';
import { signUpTermsLinks } from '../domain/terms.js';
import { html, type SafeHtml } from '../lib/html.js';
import {
  clientInput,
  formHandler,
  formPage,
  formValue,
  inputField,
  pageHandler,
  pageUrl,
  runOperation,
  type PageContext,
} from './common.js';
import { confirmView, deliveryText, sealConfirmTicket, signInConfirmedUser } from './confirm.js';
import { loginView, usernameLabel } from './login.js';
import { firstProblemField, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** How the standard attributes are labelled, and what browsers may fill them with. */
const STANDARD_FIELDS: Readonly<Record<string, { label: string; type?: string; autocomplete?: string }>> = {
  email: { label: 'Email', type: 'email', autocomplete: 'email' },
  phone_number: { label: 'Phone number', type: 'tel', autocomplete: 'tel' },
  name: { label: 'Name', autocomplete: 'name' },
  given_name: { label: 'Given name', autocomplete: 'given-name' },
  family_name: { label: 'Family name', autocomplete: 'family-name' },
  middle_name: { label: 'Middle name', autocomplete: 'additional-name' },
  nickname: { label: 'Nickname', autocomplete: 'nickname' },
  preferred_username: { label: 'Preferred username', autocomplete: 'username' },
  profile: { label: 'Profile', type: 'url', autocomplete: 'url' },
  picture: { label: 'Picture', type: 'url', autocomplete: 'photo' },
  website: { label: 'Website', type: 'url', autocomplete: 'url' },
  gender: { label: 'Gender', autocomplete: 'sex' },
  birthdate: { label: 'Birthdate', type: 'date', autocomplete: 'bday' },
  zoneinfo: { label: 'Zoneinfo' },
  locale: { label: 'Locale', autocomplete: 'language' },
  address: { label: 'Address', autocomplete: 'street-address' },
  updated_at: { label: 'Updated at' },
};

/** The attributes the sign-up form asks for: the schema's required ones, less what the username fills. */
function signUpAttributes(page: PageContext): string[] {
  const usernameAttributes: readonly string[] = page.site.pool.config.UsernameAttributes ?? [];
  return (page.site.pool.config.SchemaAttributes ?? [])
    .filter((a) => a.Required === true && a.Name !== undefined && a.Name !== 'sub' && !usernameAttributes.includes(a.Name))
    .map((a) => a.Name ?? '');
}

/** An attribute's form field id and name. */
function fieldName(attribute: string): string {
  return `requiredAttributes[${attribute}]`;
}

function fieldId(attribute: string): string {
  return `signUp_${attribute.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The pool's password rules, in Cognito's managed-login wording. */
export function passwordRules(policy: PasswordPolicyType | undefined): string[] {
  const explicit = policy !== undefined;
  const length = policy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength;
  const rule = (flag: boolean | undefined, fallback: boolean): boolean => (explicit ? flag === true : fallback);
  const rules: string[] = [];
  if (rule(policy?.RequireLowercase, DEFAULT_PASSWORD_POLICY.RequireLowercase)) rules.push('Password must contain a lower case letter');
  if (rule(policy?.RequireUppercase, DEFAULT_PASSWORD_POLICY.RequireUppercase)) rules.push('Password must contain an upper case letter');
  if (rule(policy?.RequireNumbers, DEFAULT_PASSWORD_POLICY.RequireNumbers)) rules.push('Password must contain a number');
  if (rule(policy?.RequireSymbols, DEFAULT_PASSWORD_POLICY.RequireSymbols)) rules.push('Password must contain a special character');
  rules.push(`Password must contain at least ${length} characters`);
  return rules;
}

/** The rules as a list the password input is described by. */
export function passwordRulesList(page: PageContext, id: string): SafeHtml {
  const rules = passwordRules(page.site.pool.config.Policies?.PasswordPolicy);
  return html`<ul class="password-rules" id="${id}">
    ${rules.map((r) => html`<li>${r}</li>`)}
  </ul>`;
}

/** The new password, as the reset and new-password pages name its problems. */
export const NEW_PASSWORD_FIELD: FieldRef = { name: 'password', label: 'New password', missing: 'Enter a new password.' };
/** Its confirmation. */
export const CONFIRM_PASSWORD_FIELD: FieldRef = {
  name: 'confirmPassword',
  label: 'Enter new password again',
  missing: 'Enter the new password again.',
};

/** What the confirmation says when the two new passwords differ. */
export const PASSWORDS_DIFFER = 'The passwords do not match. Enter the same new password twice.';

/**
 * The problems of the two new passwords before any operation runs: either left empty, or the two
 * not the same; undefined when they are fine.
 */
export function newPasswordProblems(form: URLSearchParams): FormProblems | undefined {
  const missing = missingFields(form, [NEW_PASSWORD_FIELD, CONFIRM_PASSWORD_FIELD]);
  if (missing) return missing;
  if (formValue(form, NEW_PASSWORD_FIELD.name) !== formValue(form, CONFIRM_PASSWORD_FIELD.name)) {
    return { fields: { [CONFIRM_PASSWORD_FIELD.name]: PASSWORDS_DIFFER } };
  }
  return undefined;
}

/** The new password and its confirmation, as the reset and new-password pages ask for them. */
export function newPasswordFields(page: PageContext, focus: string, problems: FormProblems | undefined): SafeHtml {
  return html`${inputField({ id: 'new_password', name: NEW_PASSWORD_FIELD.name, label: NEW_PASSWORD_FIELD.label, type: 'password', autocomplete: 'new-password', autofocus: focus === NEW_PASSWORD_FIELD.name, describedBy: 'passwordRules', extra: passwordRulesList(page, 'passwordRules'), error: problems?.fields[NEW_PASSWORD_FIELD.name] })}
  ${inputField({ id: 'confirm_password', name: CONFIRM_PASSWORD_FIELD.name, label: CONFIRM_PASSWORD_FIELD.label, type: 'password', autocomplete: 'new-password', autofocus: focus === CONFIRM_PASSWORD_FIELD.name, error: problems?.fields[CONFIRM_PASSWORD_FIELD.name] })}`;
}

/** The humane label of an attribute (custom ones by their name after `custom:`). */
export function attributeLabel(name: string): string {
  const standard = STANDARD_FIELDS[name];
  if (standard) return standard.label;
  const bare = name.replace(/^custom:/, '').replace(/_/g, ' ');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/** One input for an attribute, labelled and typed for browsers' autofill. */
export function attributeField(
  name: string,
  field: { id: string; name: string; value?: string; autofocus?: boolean; error?: string | undefined },
): SafeHtml {
  const standard = STANDARD_FIELDS[name];
  return inputField({
    id: field.id,
    name: field.name,
    label: attributeLabel(name),
    ...(standard?.type ? { type: standard.type } : {}),
    ...(standard?.autocomplete ? { autocomplete: standard.autocomplete } : {}),
    ...(field.value !== undefined ? { value: field.value } : {}),
    ...(field.autofocus ? { autofocus: true } : {}),
    error: field.error,
  });
}

/** The username field of the sign-up form, as its problems name it. */
function usernameField(page: PageContext): FieldRef {
  return { name: 'username', label: usernameLabel(page) };
}

const PASSWORD_FIELD: FieldRef = { name: 'password', label: 'Password', missing: 'Enter a password.' };

/** The sign-up form's fields, in page order, as their problems name them. */
function signUpFields(page: PageContext): FieldRef[] {
  return [
    usernameField(page),
    ...signUpAttributes(page).map((name) => ({ name: fieldName(name), label: attributeLabel(name) })),
    PASSWORD_FIELD,
  ];
}

/**
 * The links to the client's terms of use and privacy policy (CreateTerms), in the page's
 * language, once the client has both; nothing before.
 */
async function termsNotice(page: PageContext): Promise<SafeHtml | undefined> {
  const documents = await page.services.store.terms.listForClient(page.site.pool.id, page.client.clientId);
  const links = signUpTermsLinks(documents, page.auth.lang);
  if (!links) return undefined;
  return html`<p class="legalText-customizable" id="signUpTerms">
    By signing up, you agree to our
    <a href="${links.termsOfUse}" target="_blank" rel="noopener noreferrer">Terms of Use</a> and
    <a href="${links.privacyPolicy}" target="_blank" rel="noopener noreferrer">Privacy Policy</a>.
  </p>`;
}

async function signUpView(
  page: PageContext,
  options: { values?: URLSearchParams; problems?: FormProblems; status?: number } = {},
): Promise<HostedResponse> {
  const terms = await termsNotice(page);
  const values = options.values ?? new URLSearchParams();
  const problems = options.problems;
  const label = usernameLabel(page);
  const usernameType = label === 'Email' ? 'email' : label === 'Phone number' ? 'tel' : 'text';
  const usernameAutocomplete = label === 'Email' ? 'email' : label === 'Phone number' ? 'tel' : 'username';
  const focus = firstProblemField(
    problems,
    signUpFields(page).map((f) => f.name),
    'username',
  );
  return formPage(page, {
    title: 'Sign up',
    heading: 'Sign up with a new account',
    status: options.status,
    problems,
    action: '/signup',
    fields: html`${inputField({ id: 'signUpUsername', name: 'username', label, type: usernameType, autocomplete: usernameAutocomplete, autofocus: focus === 'username', value: values.get('username') ?? '', error: problems?.fields['username'] })}
    ${signUpAttributes(page).map((name) =>
      attributeField(name, {
        id: fieldId(name),
        name: fieldName(name),
        value: values.get(fieldName(name)) ?? '',
        autofocus: focus === fieldName(name),
        error: problems?.fields[fieldName(name)],
      }),
    )}
    ${inputField({ id: 'signUpPassword', name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', autofocus: focus === 'password', describedBy: 'passwordRules', extra: passwordRulesList(page, 'passwordRules'), error: problems?.fields['password'] })}
    ${terms}`,
    submit: { label: 'Sign up', name: 'signUpButton' },
    after: html`<p class="redirect-customizable">
      <span class="textDescription-customizable">Already have an account?</span> <a href="${pageUrl(page, '/login')}">Sign in</a>
    </p>`,
  });
}

/** Whether the pool lets users sign themselves up. */
function selfSignUp(page: PageContext): boolean {
  return page.site.pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
}

/** GET /signup: the sign-up form (the sign-in page, when only administrators create users). */
export const signUpPage = pageHandler((page) => (selfSignUp(page) ? signUpView(page) : loginView(page)));

/**
 * POST /signup: the SignUp operation itself (same checks, messages and code delivery), then the
 * confirmation page, ticketed so that the right code signs the new user in.
 */
export const signUpSubmit = formHandler(async (page, form) => {
  const again = (problems: FormProblems): Promise<HostedResponse> => {
    form.delete('password');
    return signUpView(page, { values: form, status: 400, problems });
  };
  const missing = missingFields(form, signUpFields(page));
  if (missing) return again(missing);
  const username = formValue(form, 'username');
  const attributes: AttributeType[] = signUpAttributes(page)
    .map((name) => ({ Name: name, Value: formValue(form, fieldName(name)) }))
    .filter((a) => a.Value !== '');
  let result;
  try {
    result = await runOperation(page, signUp, {
      ...clientInput(page, username),
      Password: formValue(form, 'password'),
      ...(attributes.length > 0 ? { UserAttributes: attributes } : {}),
    });
  } catch (error) {
    return again(
      problemsFromError(page.services, error, {
        username: usernameField(page),
        password: PASSWORD_FIELD,
        attribute: (name) => (signUpAttributes(page).includes(name) ? { name: fieldName(name), label: attributeLabel(name) } : undefined),
        sentAttributes: attributes.map((a) => a.Name),
        policy: page.site.pool.config.Policies?.PasswordPolicy,
      }),
    );
  }
  const user = await resolveUser(page.services, page.site.pool, username);
  if (!user) return loginView(page, { username });
  if (result.UserConfirmed === true) {
    const signedIn = await signInConfirmedUser(page, user, username);
    if (signedIn) return signedIn;
  }
  return confirmView(page, {
    username,
    ticket: sealConfirmTicket(page, user),
    delivery: deliveryText(result.CodeDeliveryDetails, 'code'),
  });
});
