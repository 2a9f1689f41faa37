import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { customMessage, type MessageOrigin } from '../triggers/events/custom-message.js';
import {
  hasCustomSender,
  sendAccountTakeoverThroughCustomSender,
  sendThroughCustomSender,
  type AccountTakeoverAttributes,
} from '../triggers/events/custom-sender.js';
import { CodeDeliveryFailureException } from '../generated/cognito-idp/errors.js';
import { confirmsWithLink, renderMessage, type MessageSource } from './templates.js';
import { emailAddresses } from './addresses.js';
import { DeliveryFailedError, type OutgoingMessage } from './delivery.js';

/** One code (or temporary password) for a user, and why it goes out. */
export interface MessageToSend {
  /** Which of Cognito's messages: the trigger sources' suffix (`CustomMessage_<source>`). */
  source: MessageSource;
  medium: 'EMAIL' | 'SMS';
  destination: string;
  /** The inbox's purpose: `signup`, `forgot-password`, `verify:email`, `admin-create-user`, ... */
  purpose: string;
  code: string;
  /** What `{username}` becomes: the name the user signs in with. */
  username: string;
  /** When the code stops working: the inbox keeps the message until then. */
  expiresAt: number;
  origin: MessageOrigin;
}

/**
 * Cognito's CodeDeliveryFailureException texts: the email one is captured (amazon-cognito-identity-js#307,
 * amplify-js#1305); the SMS one mirrors it (best guess).
 */
const DELIVERY_FAILURE_MESSAGE = {
  EMAIL: 'Invalid email provided/Unable to send the email',
  SMS: 'Invalid phone number provided/Unable to send the SMS',
} as const;

/**
 * The link of a link-style sign-up email: the pool's `/confirmUser` page (by path, so it works
 * without DNS for the pool's domain) with the client, the username and the code, as Cognito builds it.
 */
function confirmationLink(services: Services, pool: UserPoolRecord, user: UserRecord, message: MessageToSend): string {
  const query = new URLSearchParams({ client_id: message.origin.clientId, user_name: user.username, confirmation_code: message.code });
  return `${services.publicUrl()}/${pool.id}/confirmUser?${query.toString()}`;
}

/**
 * Hands a message to the delivery; a sender's failure becomes Cognito's CodeDeliveryFailureException,
 * logged with its reason but never the message or its code.
 */
async function deliver(services: Services, message: OutgoingMessage): Promise<void> {
  try {
    await services.delivery.deliver(message);
  } catch (error) {
    if (!(error instanceof DeliveryFailedError)) throw error;
    services.logger.warn(
      { poolId: message.poolId, username: message.username, medium: message.medium, purpose: message.purpose, reason: error.reason },
      'message delivery failed',
    );
    throw new CodeDeliveryFailureException(DELIVERY_FAILURE_MESSAGE[message.medium], { cause: error });
  }
}

/**
 * Sends every message Cognito sends, in one place and in Cognito's order: a custom sender trigger
 * for the medium takes the code instead of delivery; otherwise the text is the pool's, or what the
 * custom message trigger answered, and goes to the delivery (SMTP or the SMS sender, and the local
 * inbox), email from the pool's addresses (see emailAddresses). An invitation whose body has no
 * `{####}` is not sent (see renderMessage). A message that cannot be delivered throws
 * CodeDeliveryFailureException.
 */
export async function sendMessage(services: Services, pool: UserPoolRecord, user: UserRecord, message: MessageToSend): Promise<void> {
  const { source, medium, code, origin } = message;
  if (hasCustomSender(pool, medium)) {
    await sendThroughCustomSender(services, pool, user, source, medium, code, origin);
    return;
  }
  const override = await customMessage(services, pool, user, source, medium, origin);
  const values = {
    code,
    username: message.username,
    link: confirmsWithLink(pool, source, medium) ? confirmationLink(services, pool, user, message) : undefined,
  };
  const rendered = renderMessage(pool, source, medium, values, override);
  if (!rendered) return;
  await deliver(services, {
    ...(medium === 'EMAIL' ? emailAddresses(pool, services.config.emailFrom) : {}),
    poolId: pool.id,
    username: user.username,
    medium,
    destination: message.destination,
    purpose: message.purpose,
    code,
    ...rendered,
    expiresAt: message.expiresAt,
  });
}

/** A risk notification for a user (adaptive authentication's `Notify`), rendered. */
export interface NotificationToSend {
  destination: string;
  subject: string;
  html: string;
  text: string | undefined;
  from: string;
  replyTo?: string | undefined;
  /** How long the local inbox keeps it. */
  expiresAt: number;
  clientId: string;
  /** What a custom email sender gets instead (`CustomEmailSender_AccountTakeOverNotification`). */
  senderAttributes: AccountTakeoverAttributes;
}

/**
 * Sends a risk notification: to the pool's custom email sender when it has one, else as an email
 * (SMTP and the local inbox, purpose `account-takeover`). Cognito sends it asynchronously, so a
 * notification that cannot be delivered is logged and never fails the sign-in.
 */
export async function sendNotification(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  notification: NotificationToSend,
): Promise<void> {
  if (hasCustomSender(pool, 'EMAIL')) {
    await sendAccountTakeoverThroughCustomSender(services, pool, user, notification.clientId, notification.senderAttributes);
    return;
  }
  try {
    await deliver(services, {
      from: notification.from,
      ...(notification.replyTo !== undefined ? { replyTo: notification.replyTo } : {}),
      poolId: pool.id,
      username: user.username,
      medium: 'EMAIL',
      destination: notification.destination,
      purpose: 'account-takeover',
      code: null,
      subject: notification.subject,
      message: notification.html,
      ...(notification.text !== undefined ? { text: notification.text } : {}),
      expiresAt: notification.expiresAt,
    });
  } catch (error) {
    if (!(error instanceof CodeDeliveryFailureException)) throw error;
  }
}
