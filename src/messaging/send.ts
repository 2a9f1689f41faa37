import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { customMessage, type MessageOrigin } from '../triggers/events/custom-message.js';
import { hasCustomSender, sendThroughCustomSender } from '../triggers/events/custom-sender.js';
import { renderMessage, type MessageSource } from './templates.js';

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
 * Sends every message Cognito sends, in one place and in Cognito's order: a custom sender trigger
 * for the medium takes the code instead of delivery; otherwise the text is the pool's, or what the
 * custom message trigger answered, and goes to the delivery (the local inbox). An invitation whose
 * body has no `{####}` is not sent (see renderMessage).
 */
export async function sendMessage(services: Services, pool: UserPoolRecord, user: UserRecord, message: MessageToSend): Promise<void> {
  const { source, medium, code, origin } = message;
  if (hasCustomSender(pool, medium)) {
    await sendThroughCustomSender(services, pool, user, source, medium, code, origin);
    return;
  }
  const override = await customMessage(services, pool, user, source, medium, origin);
  const values = { code, username: message.username };
  const rendered =
    source === 'AdminCreateUser'
      ? renderMessage(pool, source, medium, values, override)
      : renderMessage(pool, source, medium, values, override);
  if (!rendered) return;
  await services.delivery.deliver({
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
