import type { UserPoolRecord } from '../store/ports.js';

/**
 * Why a message goes out, named as Cognito names the custom message trigger's sources
 * (`CustomMessage_<source>`): the one place a message's text is chosen, so the trigger can
 * replace it here.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export type MessageSource =
  'SignUp' | 'ResendCode' | 'ForgotPassword' | 'UpdateUserAttribute' | 'VerifyUserAttribute' | 'AdminCreateUser' | 'Authentication';

/** Text that replaces the pool's (a custom message trigger's answer); an absent field keeps the pool's. */
export interface MessageOverride {
  emailMessage?: string;
  emailSubject?: string;
  smsMessage?: string;
}

/**
 * What fills a template's placeholders: `{####}` the code (or temporary password), `{username}` the
 * name, and `{##text##}` a link with that text to `link` (the confirmation link of link-style
 * verification).
 */
export interface MessageValues {
  code: string;
  username: string;
  link?: string | undefined;
}

export interface RenderedMessage {
  /** The email subject; null for SMS. */
  subject: string | null;
  message: string;
}

/** Cognito's invitation texts for a pool without InviteMessageTemplate (CloudFormation/CDK defaults). */
const DEFAULT_INVITE_EMAIL_SUBJECT = 'Your temporary password';
const DEFAULT_INVITE_EMAIL_MESSAGE = 'Your username is {username} and temporary password is {####}.';
const DEFAULT_INVITE_SMS_MESSAGE = 'Your username is {username} and temporary password is {####}';

/** Cognito's verification texts for a pool without VerificationMessageTemplate or the legacy fields. */
const DEFAULT_VERIFICATION_SUBJECT = 'Your verification code';
const DEFAULT_VERIFICATION_MESSAGE = 'Your verification code is {####}. ';

/** Cognito's MFA code texts for a pool without SmsAuthenticationMessage or EmailMfaConfiguration's. */
const DEFAULT_AUTHENTICATION_MESSAGE = 'Your authentication code is {####}. ';
const DEFAULT_AUTHENTICATION_SUBJECT = 'Your authentication code';

/** Cognito's link-style texts for a pool without EmailSubjectByLink / EmailMessageByLink. */
const DEFAULT_LINK_SUBJECT = 'Your verification link';
const DEFAULT_LINK_MESSAGE = 'Please click the link below to verify your email address. {##Verify Email##} ';

/**
 * Replaces each `{##text##}` with a link to `href` showing `text`; `{####}` (no text) is the code's
 * placeholder and stays. A scan, not a regular expression, so a long text with many unclosed `{##`
 * stays linear.
 */
function fillLinks(text: string, href: string): string {
  const attribute = href.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('{##', from);
    const close = open < 0 ? -1 : text.indexOf('##}', open + 3);
    if (close < 0) return out + text.slice(from);
    const label = text.slice(open + 3, close);
    out += text.slice(from, open) + (label === '' ? '{####}' : `<a href="${attribute}">${label}</a>`);
    from = close + 3;
  }
}

function fill(text: string, values: MessageValues): string {
  // Links first, so that a username holding `{##` is never read as a link.
  const linked = values.link === undefined ? text : fillLinks(text, values.link);
  return linked.replaceAll('{####}', values.code).replaceAll('{username}', values.username);
}

/**
 * Whether a message goes out in the link style: a sign-up confirmation by email in a pool whose
 * VerificationMessageTemplate says CONFIRM_WITH_LINK (attribute verification and resets stay codes,
 * as on Cognito).
 */
export function confirmsWithLink(pool: UserPoolRecord, source: MessageSource, medium: 'EMAIL' | 'SMS'): boolean {
  return (
    medium === 'EMAIL' &&
    (source === 'SignUp' || source === 'ResendCode') &&
    pool.config.VerificationMessageTemplate?.DefaultEmailOption === 'CONFIRM_WITH_LINK'
  );
}

/**
 * The text for a message, placeholders filled: `override` (a custom message trigger's answer) where
 * it has a field, else the pool's: the invitation template for AdminCreateUser, the authentication
 * texts for MFA and sign-in codes (`Authentication`), the verification template
 * (VerificationMessageTemplate, else the legacy fields) for every code, its link texts when
 * `values.link` is given (see confirmsWithLink). Undefined when the
 * invitation's body has no `{####}`: Cognito does not deliver it, as the AdminCreateUser
 * documentation says.
 */
export function renderMessage(
  pool: UserPoolRecord,
  source: 'AdminCreateUser',
  medium: 'EMAIL' | 'SMS',
  values: MessageValues,
  override?: MessageOverride,
): RenderedMessage | undefined;
export function renderMessage(
  pool: UserPoolRecord,
  source: Exclude<MessageSource, 'AdminCreateUser'>,
  medium: 'EMAIL' | 'SMS',
  values: MessageValues,
  override?: MessageOverride,
): RenderedMessage;
export function renderMessage(
  pool: UserPoolRecord,
  source: MessageSource,
  medium: 'EMAIL' | 'SMS',
  values: MessageValues,
  override?: MessageOverride,
): RenderedMessage | undefined;
export function renderMessage(
  pool: UserPoolRecord,
  source: MessageSource,
  medium: 'EMAIL' | 'SMS',
  values: MessageValues,
  override: MessageOverride = {},
): RenderedMessage | undefined {
  const c = pool.config;
  if (source === 'AdminCreateUser') {
    const template = c.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
    const body =
      medium === 'EMAIL'
        ? (override.emailMessage ?? template.EmailMessage ?? DEFAULT_INVITE_EMAIL_MESSAGE)
        : (override.smsMessage ?? template.SMSMessage ?? DEFAULT_INVITE_SMS_MESSAGE);
    if (!body.includes('{####}')) return undefined;
    return {
      subject: medium === 'EMAIL' ? fill(override.emailSubject ?? template.EmailSubject ?? DEFAULT_INVITE_EMAIL_SUBJECT, values) : null,
      message: fill(body, values),
    };
  }
  if (source === 'Authentication') {
    // MFA codes: SmsAuthenticationMessage, and SetUserPoolMfaConfig's EmailMfaConfiguration.
    if (medium === 'SMS') {
      return { subject: null, message: fill(override.smsMessage ?? c.SmsAuthenticationMessage ?? DEFAULT_AUTHENTICATION_MESSAGE, values) };
    }
    const email = c.EmailMfaConfiguration ?? {};
    return {
      subject: fill(override.emailSubject ?? email.Subject ?? DEFAULT_AUTHENTICATION_SUBJECT, values),
      message: fill(override.emailMessage ?? email.Message ?? DEFAULT_AUTHENTICATION_MESSAGE, values),
    };
  }
  const t = c.VerificationMessageTemplate ?? {};
  if (medium === 'EMAIL' && values.link !== undefined) {
    return {
      subject: fill(override.emailSubject ?? t.EmailSubjectByLink ?? DEFAULT_LINK_SUBJECT, values),
      message: fill(override.emailMessage ?? t.EmailMessageByLink ?? DEFAULT_LINK_MESSAGE, values),
    };
  }
  if (medium === 'SMS') {
    return {
      subject: null,
      message: fill(override.smsMessage ?? t.SmsMessage ?? c.SmsVerificationMessage ?? DEFAULT_VERIFICATION_MESSAGE, values),
    };
  }
  return {
    subject: fill(override.emailSubject ?? t.EmailSubject ?? c.EmailVerificationSubject ?? DEFAULT_VERIFICATION_SUBJECT, values),
    message: fill(override.emailMessage ?? t.EmailMessage ?? c.EmailVerificationMessage ?? DEFAULT_VERIFICATION_MESSAGE, values),
  };
}
