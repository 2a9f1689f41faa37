import type { PasswordPolicyType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import { CognitoError } from '../errors/cognito-error.js';
import { DEFAULT_PASSWORD_POLICY } from '../domain/password-policy.js';

/**
 * What is wrong with a posted form, in plain words: the problem of each field, shown beside it (by
 * the field's form name), and what concerns the form as a whole (a wrong password, too many
 * attempts), shown above it.
 */
export interface FormProblems {
  form?: string | undefined;
  fields: Readonly<Record<string, string>>;
}

/** A form field, as its problems name it. */
export interface FieldRef {
  /** The field's form name (`username`, `requiredAttributes[email]`). */
  name: string;
  /** Its label, as the page shows it. */
  label: string;
  /** What to say when it was left empty; "Enter your <label>." unless told. */
  missing?: string;
}

/** A problem of the form as a whole. */
export function formProblem(message: string): FormProblems {
  return { form: message, fields: {} };
}

/** What to say of a field left empty. */
function enter(field: FieldRef): string {
  return field.missing ?? `Enter your ${field.label.toLowerCase()}.`;
}

/**
 * The required fields of a posted form that were left empty, each with its "Enter ..." text; undefined
 * when all are filled. Pages check this before any operation runs, so an empty form gets one plain
 * line per field instead of the model's validation message.
 */
export function missingFields(form: URLSearchParams, fields: readonly FieldRef[]): FormProblems | undefined {
  const problems: Record<string, string> = {};
  for (const field of fields) if ((form.get(field.name) ?? '') === '') problems[field.name] = enter(field);
  return Object.keys(problems).length > 0 ? { fields: problems } : undefined;
}

/** The field of the first problem in `order` (the order of the fields on the page), else `fallback`. */
export function firstProblemField(problems: FormProblems | undefined, order: readonly string[], fallback: string): string {
  return order.find((name) => problems?.fields[name] !== undefined) ?? fallback;
}

/** Which field of the page holds each input of the operation it runs. */
export interface OperationFields {
  username?: FieldRef;
  password?: FieldRef;
  code?: FieldRef;
  /** The field of a user attribute, when the page has one. */
  attribute?: (attribute: string) => FieldRef | undefined;
  /** The attributes in the order they were sent: the model names them `userAttributes.<n>.member.value`. */
  sentAttributes?: readonly string[];
  /** The pool's password policy, for the minimum length. */
  policy?: PasswordPolicyType | undefined;
}

/** Plain words for each rule of the password policy, keyed by the end of Cognito's message. */
function passwordRuleText(message: string, policy: PasswordPolicyType | undefined): string | undefined {
  if (message.endsWith('Password not long enough')) {
    const length = policy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength;
    return `Use at least ${length} characters.`;
  }
  if (message.endsWith('Password too long')) return 'Use 256 characters or fewer.';
  if (message.includes('regular expression pattern')) return 'Remove the spaces at the start and end of the password.';
  if (message.endsWith('must have uppercase characters')) return 'Include an upper case letter (A to Z).';
  if (message.endsWith('must have lowercase characters')) return 'Include a lower case letter (a to z).';
  if (message.endsWith('must have numeric characters')) return 'Include a number (0 to 9).';
  if (message.endsWith('must have symbol characters')) return 'Include a special character, such as ! or #.';
  return undefined;
}

/** Plain words for one of the model's constraints, broken by the value of `field`. */
function constraintText(field: FieldRef, constraint: string): string {
  if (constraint === 'Member must not be null') return enter(field);
  const atLeast = /length greater than or equal to (\d+)/.exec(constraint);
  if (atLeast) return atLeast[1] === '1' ? enter(field) : `Use at least ${atLeast[1]} characters.`;
  const atMost = /length less than or equal to (\d+)/.exec(constraint);
  if (atMost) return `Use ${atMost[1]} characters or fewer.`;
  // Every pattern a page's input meets (UsernameType, PasswordType, ConfirmationCodeType) refuses
  // white space and control characters, and nothing else a keyboard types.
  return `${field.label} cannot contain spaces.`;
}

/** Plain words for a schema rule an attribute value broke (the lines of "Attributes did not conform ..."). */
function attributeRuleText(field: FieldRef, rule: string): string {
  if (rule === 'The attribute is required') return enter(field);
  const longest = /^String must be no longer than (\d+) characters$/.exec(rule);
  if (longest) return `Use ${longest[1]} characters or fewer.`;
  const shortest = /^String must be at least (\d+) characters$/.exec(rule);
  if (shortest) return `Use at least ${shortest[1]} characters.`;
  if (rule === 'Number must be an integer') return 'Enter a whole number.';
  const least = /^Number must be no less than (-?\d+)$/.exec(rule);
  if (least) return `Enter a number of at least ${least[1]}.`;
  const most = /^Number must be no greater than (-?\d+)$/.exec(rule);
  if (most) return `Enter a number no greater than ${most[1]}.`;
  if (rule === 'Attribute value must be true or false') return 'Enter true or false.';
  return rule.endsWith('.') ? rule : `${rule}.`;
}

const EMAIL_HINT = 'Enter an email address, like name@example.com.';
const PHONE_HINT = 'Enter a phone number with its country code, like +12065550100.';

/** The problems an InvalidParameterException names, by field where it names one. */
function invalidParameter(message: string, fields: OperationFields): Array<[FieldRef | undefined, string]> {
  const attribute = (name: string): FieldRef | undefined => fields.attribute?.(name);
  if (/^\d+ validation errors? detected: /.test(message)) {
    const found: Array<[FieldRef | undefined, string]> = [];
    for (const problem of message.matchAll(/at '([^']+)' failed to satisfy constraint: (Member must [^;]*)/g)) {
      const [, path = '', constraint = ''] = problem;
      const item = /^userAttributes\.(\d+)\.member\.value$/.exec(path);
      const sent = item ? fields.sentAttributes?.[Number(item[1]) - 1] : undefined;
      const field =
        path === 'username'
          ? fields.username
          : path === 'password'
            ? fields.password
            : path === 'confirmationCode'
              ? fields.code
              : sent !== undefined
                ? attribute(sent)
                : undefined;
      if (field) found.push([field, constraintText(field, constraint)]);
    }
    // A problem no field of the page answers for is the page's own fault: said as the API says it.
    return found.length > 0 ? found : [[undefined, message]];
  }
  if (message === 'Invalid email address format.') return [[attribute('email') ?? fields.username, EMAIL_HINT]];
  if (message === 'Invalid phone number format.') return [[attribute('phone_number') ?? fields.username, PHONE_HINT]];
  if (message === 'Username should be an email.') return [[fields.username, EMAIL_HINT]];
  if (message === 'Username should be a phone number.') return [[fields.username, PHONE_HINT]];
  if (message === 'Username should be either an email or a phone number.') {
    return [[fields.username, 'Enter an email address, or a phone number with its country code.']];
  }
  const aliasFormat = /^Username cannot be of (email|phone number) format/.exec(message);
  if (aliasFormat) {
    const what = aliasFormat[1] === 'email' ? 'an email address' : 'a phone number';
    return [[fields.username, `Choose a username that is not ${what}.`]];
  }
  const missingAttribute = /^Invalid attributes given, (?:userAttributes\.)?(.+) is missing$/.exec(message);
  if (missingAttribute) {
    const field = attribute(missingAttribute[1] ?? '');
    return [[field, field ? enter(field) : message]];
  }
  if (message.startsWith('Attributes did not conform to the schema: ')) {
    const lines = message.slice('Attributes did not conform to the schema: '.length).split('\n');
    return lines
      .filter((line) => line.includes(': '))
      .map((line): [FieldRef | undefined, string] => {
        const name = line.slice(0, line.indexOf(': '));
        const rule = line.slice(line.indexOf(': ') + 2);
        const field = attribute(name);
        return [field, field ? attributeRuleText(field, rule) : line];
      });
  }
  return [[undefined, message]];
}

/** The noun an "already exists" message names: the username field's, or the attribute the message names. */
function existingAccountText(message: string, username: FieldRef | undefined): string {
  const alias = /^An account with the given (email|phone_number) already exists\.$/.exec(message);
  const noun = alias ? (alias[1] === 'email' ? 'email address' : 'phone number') : (username?.label.toLowerCase() ?? 'username');
  return `An account with this ${noun} already exists. Sign in instead, or choose another ${noun}.`;
}

/**
 * The problems an operation's error means for the page's fields, in plain words: a password the
 * policy refuses goes beside the password, a name already taken beside the username, a wrong or
 * expired code beside the code, a value the model or the schema refuses beside its field. What
 * concerns no single field (a wrong password at sign-in, a limit, a disabled user) stays above the
 * form with the API's own message; anything that is not a Cognito error is logged and shown as
 * Cognito's generic text.
 */
export function problemsFromError(services: Services, error: unknown, fields: OperationFields): FormProblems {
  if (!(error instanceof CognitoError)) {
    services.logger.error({ err: error }, 'managed login page error');
    return formProblem('An error was encountered with the requested page.');
  }
  const found: Array<[FieldRef | undefined, string]> = [];
  switch (error.type) {
    case 'InvalidPasswordException': {
      const text = passwordRuleText(error.message, fields.policy);
      found.push([fields.password, text ?? error.message]);
      break;
    }
    case 'UsernameExistsException':
      found.push([fields.username, existingAccountText(error.message, fields.username)]);
      break;
    case 'UserNotFoundException':
      found.push([fields.username, `We cannot find an account with this ${fields.username?.label.toLowerCase() ?? 'username'}.`]);
      break;
    case 'CodeMismatchException':
      found.push([fields.code, 'This code is not right. Check the code in the message we sent and enter it again.']);
      break;
    case 'ExpiredCodeException':
      found.push([fields.code, 'This code has expired or was already used. Ask for a new code.']);
      break;
    case 'InvalidParameterException':
      found.push(...invalidParameter(error.message, fields));
      break;
    default:
      found.push([undefined, error.message]);
  }
  const problems: Record<string, string> = {};
  let form: string | undefined;
  for (const [field, text] of found) {
    if (field) problems[field.name] ??= text;
    else form ??= text;
  }
  return { form, fields: problems };
}
