import type { Logger } from 'pino';
import type { InboxStore } from '../store/ports.js';
import type { Clock } from '../lib/clock.js';

/** One message to a user: a confirmation, verification or reset code, or a temporary password. */
export interface OutgoingMessage {
  poolId: string;
  username: string;
  medium: 'EMAIL' | 'SMS';
  destination: string;
  /** Why it was sent: `signup`, `forgot-password`, `verify:email`, `admin-create-user`, ... */
  purpose: string;
  /** The code or temporary password in the message, kept for the local inbox. */
  code: string | null;
  subject: string | null;
  message: string;
  /** When the code or temporary password stops working: the inbox keeps the message until then. */
  expiresAt: number;
}

/**
 * Where codes go. The default keeps them in the local inbox; SMTP and SMS senders implement the
 * same interface later and can be combined with the inbox.
 */
export interface MessageDelivery {
  deliver(message: OutgoingMessage): Promise<void>;
}

/**
 * Keeps messages in the store's inbox (readable through the admin inbox endpoint and `cognate
 * inbox`) and logs that a message went out. The log line carries no code: codes are secrets.
 */
export class InboxDelivery implements MessageDelivery {
  constructor(
    private readonly inbox: InboxStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async deliver(message: OutgoingMessage): Promise<void> {
    await this.inbox.add({ ...message, createdAt: this.clock.now() });
    this.logger.info(
      { poolId: message.poolId, username: message.username, medium: message.medium, purpose: message.purpose },
      'message delivered to the local inbox',
    );
  }
}

/** Delivery that drops messages (inbox disabled and no sender configured). */
export class DiscardDelivery implements MessageDelivery {
  constructor(private readonly logger: Logger) {}
  async deliver(message: OutgoingMessage): Promise<void> {
    this.logger.warn({ poolId: message.poolId, purpose: message.purpose }, 'no message delivery configured; message dropped');
  }
}

/** Masks a destination as Cognito does in CodeDeliveryDetails: `a***@e***` / `+*******1234`. */
export function maskDestination(medium: 'EMAIL' | 'SMS', destination: string): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(0, destination.length - 5))}${destination.slice(-4)}`;
  const at = destination.indexOf('@');
  if (at < 1) return '***';
  return `${destination[0]}***@${destination[at + 1] ?? ''}***`;
}
