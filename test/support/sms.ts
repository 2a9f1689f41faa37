import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { waitUntil } from './wait.js';

/** One SMS as the receiver got it. */
export interface ReceivedSms {
  phoneNumber: string;
  message: string;
  /** Every field of the request: the webhook's JSON, or the SNS form's fields. */
  fields: Record<string, unknown>;
}

export interface SmsReceiver {
  /** The webhook URL, or the SNS endpoint. */
  url: string;
  received: ReceivedSms[];
  /** Requests refused (bad SNS signature or action), with why: a test asserts this stays empty. */
  refused: string[];
  /** Waits for the `n`th message (1-based), with a deadline. */
  nth(n: number): Promise<ReceivedSms>;
  stop(): Promise<void>;
}

export interface SmsReceiverOptions {
  /** `webhook` takes JSON; `sns` takes SNS's awsQuery `Publish`, checking its SigV4 signature. */
  kind: 'webhook' | 'sns';
  /** Answer every request with this status instead of success. */
  failWith?: number;
  /** Never answer (the request hangs until the client gives up). */
  stall?: boolean;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The credentials Cognate signs SNS calls with: the environment's, else LocalStack's `test` pair. */
function signingCredentials(): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = process.env['AWS_SESSION_TOKEN'];
  if (!accessKeyId || !secretAccessKey) return { accessKeyId: 'test', secretAccessKey: 'test' };
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/**
 * Re-signs the request with @smithy/signature-v4 (service `sns`, the request's own date and signed
 * headers) and says what is wrong with its Authorization header, or undefined when it matches.
 */
async function signatureProblem(request: IncomingMessage, body: string, port: number, region: string): Promise<string | undefined> {
  const authorization = request.headers.authorization ?? '';
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!scope) return `no SigV4 Authorization header: ${authorization}`;
  if (scope[1] !== region || scope[2] !== 'sns') return `signed for ${scope[1]}/${scope[2]}, not ${region}/sns`;
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = String(request.headers[name] ?? '');
  const date = String(request.headers['x-amz-date'] ?? '');
  const signingDate = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({ service: 'sns', region, credentials: signingCredentials(), sha256: Sha256 });
  const expected = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: request.url ?? '/', headers, body }),
    { signingDate },
  );
  return expected.headers['authorization'] === authorization ? undefined : 'the signature does not match';
}

/**
 * An in-test SMS receiver on a loopback port: a JSON webhook, or an SNS-compatible endpoint that
 * checks each `Publish` call's SigV4 signature and answers SNS's XML.
 */
export async function startSmsReceiver(options: SmsReceiverOptions, region = 'us-east-1'): Promise<SmsReceiver> {
  const received: ReceivedSms[] = [];
  const refused: string[] = [];
  let port = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (options.stall) return;
      if (options.failWith !== undefined) {
        response.writeHead(options.failWith, { 'content-type': 'text/plain' }).end('failed');
        return;
      }
      if (options.kind === 'webhook') {
        const fields = JSON.parse(body) as Record<string, unknown>;
        received.push({ phoneNumber: String(fields['phoneNumber']), message: String(fields['message']), fields });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const problem = await signatureProblem(request, body, port, region);
      const fields = Object.fromEntries(new URLSearchParams(body));
      if (problem || fields['Action'] !== 'Publish') {
        refused.push(problem ?? `action ${fields['Action']}`);
        response
          .writeHead(403, { 'content-type': 'text/xml' })
          .end('<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>');
        return;
      }
      received.push({ phoneNumber: fields['PhoneNumber'] ?? '', message: fields['Message'] ?? '', fields });
      response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
        );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${options.kind === 'webhook' ? '/sms' : ''}`,
    received,
    refused,
    nth: (n) =>
      waitUntil(
        () => received[n - 1],
        () => `SMS number ${n} to arrive (refused: ${refused.join('; ') || 'none'})`,
      ),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
