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
  /** The text; an email sends it as HTML. */
  message: string;
  /** An email's plain-text part besides the HTML one (a risk notification's TextBody). */
  text?: string;
  /** When the code or temporary password stops working: the inbox keeps the message until then. */
  expiresAt: number;
  /** The email's From and Reply-To, as the pool's EmailConfiguration decides (see emailAddresses). */
  from?: string;
  replyTo?: string;
}

/**
 * A message a sender could not hand over (refused, unreachable, too slow). `reason` says why in
 * words safe for a log line: never the message, its code or the server's echo of it.
 */
export class DeliveryFailedError extends Error {
  constructor(
    readonly medium: 'EMAIL' | 'SMS',
    readonly reason: string,
  ) {
    super(`${medium} delivery failed: ${reason}`);
    this.name = 'DeliveryFailedError';
  }
}

/**
 * Where codes go: the local inbox, an SMTP server, an SMS sender, or a sender and the inbox
 * together ({@link RoutedDelivery}). A sender that cannot deliver throws {@link DeliveryFailedError}.
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

/** Real senders per medium and the inbox's copy; see {@link RoutedDelivery}. */
export interface DeliveryRoutes {
  email?: MessageDelivery | undefined;
  sms?: MessageDelivery | undefined;
  inbox?: MessageDelivery | undefined;
}

/**
 * Sends each message through its medium's sender, then keeps the inbox's copy: after the sender,
 * so a message that failed to go out leaves no copy whose code no longer works. A medium with
 * neither a sender nor the inbox drops its messages (with a warning).
 */
export class RoutedDelivery implements MessageDelivery {
  constructor(
    private readonly routes: DeliveryRoutes,
    private readonly discard: MessageDelivery,
  ) {}

  async deliver(message: OutgoingMessage): Promise<void> {
    const sender = message.medium === 'EMAIL' ? this.routes.email : this.routes.sms;
    if (sender) await sender.deliver(message);
    if (this.routes.inbox) await this.routes.inbox.deliver(message);
    if (!sender && !this.routes.inbox) await this.discard.deliver(message);
  }
}

/** Masks a destination as Cognito does in CodeDeliveryDetails: `a***@e***` / `+*******1234`. */
export function maskDestination(medium: 'EMAIL' | 'SMS', destination: string): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(0, destination.length - 5))}${destination.slice(-4)}`;
  const at = destination.indexOf('@');
  if (at < 1) return '***';
  return `${destination[0]}***@${destination[at + 1] ?? ''}***`;
}
