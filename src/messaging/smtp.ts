import type { Transporter } from 'nodemailer';
import { DeliveryFailedError, type MessageDelivery, type OutgoingMessage } from './delivery.js';

/** What nodemailer's errors carry besides their text (which may quote the server's answer). */
interface SmtpError {
  code?: string;
  responseCode?: number;
}

/** Words for a log line about a failed send: nodemailer's error kind and the server's reply code, never its text. */
function failureReason(error: unknown): string {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  return [code ?? 'error', responseCode].filter((part) => part !== undefined).join(' ');
}

/**
 * Sends email through an SMTP server with nodemailer, one connection per message (STARTTLS when
 * the server offers it on `smtp://`, TLS from the start on `smtps://`). The body is the pool's text
 * as HTML, as Cognito sends it. Connecting, the greeting and every later wait are bounded by
 * `timeoutMs`, and so is the whole send: a server that is down, refuses or stalls answers
 * {@link DeliveryFailedError} within the bound, and never holds the event loop (all of it is I/O).
 */
export class SmtpDelivery implements MessageDelivery {
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  /** nodemailer's transport, loaded on the first email: a server that sends none never loads it. */
  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        url: this.url,
        connectionTimeout: this.timeoutMs,
        greetingTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
        dnsTimeout: this.timeoutMs,
        // nodemailer's own logging would print message bodies, and with them codes.
        logger: false,
        debug: false,
      }),
    );
    return this.transport;
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    if (!message.from) throw new DeliveryFailedError('EMAIL', 'no From address');
    const transport = await this.transporter();
    const sending = transport.sendMail({
      from: message.from,
      to: message.destination,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject ?? '',
      html: message.message,
      ...(message.text !== undefined ? { text: message.text } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeliveryFailedError('EMAIL', `no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([
        sending.catch((error: unknown) => {
          throw new DeliveryFailedError('EMAIL', failureReason(error));
        }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
