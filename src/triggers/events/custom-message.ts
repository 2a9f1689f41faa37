import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { InvalidLambdaResponseException, InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import { compileLinearPattern } from '../../lib/linear-pattern.js';
import { CLIENT_ID_NOT_APPLICABLE, fireTrigger } from '../fire.js';
import { triggerUserAttributes } from './user-attributes.js';
import type { MessageOverride } from '../../messaging/templates.js';

/** Who asked for a message: the app client (or CLIENT_ID_NOT_APPLICABLE) and the call's ClientMetadata. */
export interface MessageOrigin {
  clientId: string;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** The origin of a message an admin operation sends: no app client, the call's ClientMetadata. */
export function adminOrigin(clientMetadata: Readonly<Record<string, string>> | undefined): MessageOrigin {
  return { clientId: CLIENT_ID_NOT_APPLICABLE, ...(clientMetadata ? { clientMetadata } : {}) };
}

/** The origin of a message a public operation sends: its app client and ClientMetadata. */
export function clientOrigin(clientId: string, clientMetadata: Readonly<Record<string, string>> | undefined): MessageOrigin {
  return { clientId, ...(clientMetadata ? { clientMetadata } : {}) };
}

/** Placeholders the event offers, which the answer's text may use; Cognito's own values. */
export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';
const LINK_PARAMETER = '{##Click Here##}';

/** The longest emailMessage Cognito takes from the trigger; a longer one is ignored (the default is sent). */
export const MAX_EMAIL_MESSAGE_LENGTH = 20_000;

const RESPONSE_FIELDS = ['smsMessage', 'emailMessage', 'emailSubject'] as const;

// The model's EmailVerificationMessageType pattern, which Cognito checks the handler's email body
// against under the name `emailBody` (captured in amplify-js#6917 and amazon-cognito-identity-js#99).
const EMAIL_BODY_PATTERN = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*';
const SMS_BODY_PATTERN = '.*\\{####\\}.*';
let emailBody: ReturnType<typeof compileLinearPattern> | undefined;
let smsBody: ReturnType<typeof compileLinearPattern> | undefined;

function bodyProblem(member: string, pattern: string, value: string): InvalidParameterException {
  return new InvalidParameterException(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
  );
}

/**
 * Reads the handler's `response`: only `smsMessage`, `emailMessage` and `emailSubject`, each a
 * string or null (null keeps the pool's text); anything else is InvalidLambdaResponseException.
 */
function readResponse(response: Record<string, unknown>): MessageOverride {
  const text: MessageOverride = {};
  for (const [field, value] of Object.entries(response)) {
    if (!(RESPONSE_FIELDS as readonly string[]).includes(field) || (value !== null && value !== undefined && typeof value !== 'string')) {
      throw new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: `response.${field} may not be set to that` });
    }
    if (typeof value === 'string') text[field as (typeof RESPONSE_FIELDS)[number]] = value;
  }
  return text;
}

/**
 * Whether the pool sends email through its own SES identity (EmailSendingAccount DEVELOPER): the
 * guide's custom message page says only then may the handler set `emailMessage` or
 * `emailSubject` ("Amazon Cognito throws a 400 error code ... InvalidLambdaResponseException"
 * otherwise), whatever the medium of the message.
 */
function sendsOwnEmail(pool: UserPoolRecord): boolean {
  return pool.config.EmailConfiguration?.EmailSendingAccount === 'DEVELOPER';
}

/**
 * Runs the pool's custom message trigger (`CustomMessage_<source>`) for a message about to go out
 * by `medium`, and returns the text it chose, placeholders (`{####}`, `{username}`) not yet filled;
 * undefined without the trigger. As on Cognito: the body for the medium must hold the code
 * placeholder (InvalidParameterException, as Cognito words it for `emailBody`), an emailMessage
 * over 20,000 characters is ignored, the email fields need EmailSendingAccount DEVELOPER
 * (InvalidLambdaResponseException), and otherwise the fields of the other medium are not looked at.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export async function customMessage(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  source: string,
  medium: 'EMAIL' | 'SMS',
  origin: MessageOrigin,
): Promise<MessageOverride | undefined> {
  const response = await fireTrigger(services, pool, {
    trigger: 'CustomMessage',
    triggerSource: `CustomMessage_${source}`,
    userName: user.username,
    clientId: origin.clientId,
    request: {
      userAttributes: triggerUserAttributes(user),
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: source === 'AdminCreateUser' ? USERNAME_PARAMETER : null,
      ...(origin.clientMetadata ? { clientMetadata: origin.clientMetadata } : {}),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (response === undefined) return undefined;
  const text = readResponse(response);
  if ((text.emailMessage !== undefined || text.emailSubject !== undefined) && !sendsOwnEmail(pool)) {
    throw new InvalidLambdaResponseException('Unrecognizable lambda output', {
      cause: 'emailMessage and emailSubject need the pool to send email through SES (EmailSendingAccount DEVELOPER)',
    });
  }
  if (medium === 'SMS') {
    delete text.emailMessage;
    delete text.emailSubject;
    smsBody ??= compileLinearPattern(SMS_BODY_PATTERN);
    if (text.smsMessage !== undefined && !smsBody.test(text.smsMessage)) throw bodyProblem('smsMessage', SMS_BODY_PATTERN, text.smsMessage);
    return text;
  }
  delete text.smsMessage;
  if (text.emailMessage !== undefined && text.emailMessage.length > MAX_EMAIL_MESSAGE_LENGTH) delete text.emailMessage;
  emailBody ??= compileLinearPattern(EMAIL_BODY_PATTERN);
  if (text.emailMessage !== undefined && !emailBody.test(text.emailMessage))
    throw bodyProblem('emailBody', EMAIL_BODY_PATTERN, text.emailMessage);
  return text;
}
