import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { after, before } from 'node:test';
import { waitUntil } from './wait.js';
import { startTestServer, type TestServer } from './server.js';

/** One mail as the server received it: the parsed message and the SMTP envelope. */
export interface ReceivedMail {
  mail: ParsedMail;
  /** MAIL FROM and RCPT TO of the transaction. */
  envelope: { from: string; to: string[] };
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for the `smtpUrl` setting. */
  url: string;
  received: ReceivedMail[];
  /** Mails refused after DATA (`refuse: 'data'`): what the server saw but did not take. */
  refused: ReceivedMail[];
  /** Answers the mails held by `stall: 'data'` (they are taken), and takes later ones at once. */
  release(): void;
  /** Waits for the `n`th mail (1-based), with a deadline. */
  nth(n: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Refuse the recipient (RCPT TO) or the message after DATA, with a 5xx reply. */
  refuse?: 'recipient' | 'data';
  /** Offer STARTTLS, with smtp-server's own self-signed certificate, as many development mail servers do. */
  starttls?: boolean;
  /** Never send the greeting, or hold the end of DATA until `release()`: a slow or hung server. */
  stall?: 'greeting' | 'data';
}

function refusal(text: string, responseCode: number): Error {
  return Object.assign(new Error(text), { responseCode });
}

/**
 * A real SMTP server (the smtp-server package) on a loopback port that parses every mail it takes
 * with mailparser, for tests that read mail back. Plain SMTP, no authentication; it can refuse or
 * stall to play a broken mail server.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  let held: (() => void)[] | undefined = options.stall === 'data' ? [] : undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: options.starttls ? ['AUTH'] : ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onConnect(_session, callback) {
      // A stalled greeting: the callback is never called, so the client waits for the banner.
      if (options.stall !== 'greeting') callback();
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      if (options.refuse === 'recipient') callback(refusal('Mailbox unavailable', 550));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          const taken = { mail, envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) } };
          if (options.refuse === 'data') {
            refused.push(taken);
            callback(refusal('Message rejected', 554));
            return;
          }
          const take = (): void => {
            received.push(taken);
            callback();
          };
          if (held) held.push(take);
          else take();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refused,
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const take of waiting) take();
    },
    nth: (n) => waitUntil(() => received[n - 1], `mail number ${n} to arrive at the SMTP server`),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An `smtp://` URL where nothing listens: a mail server that is down (the port was free a moment ago). */
export async function downSmtpUrl(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

/** The six-digit code in a mail's text (mailparser's text of the HTML body). */
export function codeInMail(mail: ParsedMail): string {
  const text = mail.text ?? (typeof mail.html === 'string' ? mail.html : '');
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no six-digit code in the mail: ${JSON.stringify(text)}`);
  return code;
}

/**
 * For a test file: an SMTP sink and a test server that sends its mail there, started before the
 * file's tests (handed to `started`) and stopped after them.
 */
export function serverWithSmtpSink(started: (server: TestServer, sink: SmtpSink) => void): void {
  let server: TestServer | undefined;
  let sink: SmtpSink | undefined;
  before(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({ smtpUrl: sink.url });
    started(server, sink);
  });
  after(async () => {
    await server?.stop();
    await sink?.stop();
  });
}
