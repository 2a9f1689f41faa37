import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer } from '../support/server.js';

/**
 * Slowloris-style holds: sockets that connect and send nothing, trickle their headers, or send
 * headers and never the body. The timeouts are configured small so the server ends them quickly;
 * with Node's and Fastify's defaults such sockets stay open for a minute or forever, far past the
 * deadline the test waits.
 */

/** How long the test waits for the server to close held sockets: far less than Node's 60 s header default. */
const DEADLINE_MS = 15_000;

interface Held {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
}

/** Every socket the tests opened, destroyed before a server stops (a held one would keep it from stopping). */
const opened: Socket[] = [];

function releaseAll(): void {
  for (const socket of opened.splice(0)) socket.destroy();
}

/** A client socket on loopback that sends `bytes` once connected (over TLS when `tls` is set) and then holds. */
function hold(port: number, bytes: string, tls?: { ca: Buffer }): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = tls
      ? tlsConnect({ port, host: '127.0.0.1', ca: tls.ca, servername: 'localhost' })
      : netConnect({ port, host: '127.0.0.1' });
    opened.push(socket);
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset counts as closed
    const closedPromise = new Promise<void>((done) =>
      socket.once('close', () => {
        closed = true;
        done();
      }),
    );
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      if (bytes) socket.write(bytes);
      resolve({ socket, received: () => received, closed: closedPromise, isClosed: () => closed });
    });
    socket.once('close', () => reject(new Error('closed before it connected')));
  });
}

/** Waits until every socket has closed, or fails naming how many are still open at the deadline. */
async function allClosed(held: Held[], what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${held.filter((h) => !h.isClosed()).length} of ${held.length} ${what} still open after ${DEADLINE_MS} ms`)),
      DEADLINE_MS,
    );
  });
  try {
    await Promise.race([Promise.all(held.map((h) => h.closed)), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const PARTIAL_HEADERS = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n';
const HEADERS_WITHOUT_BODY =
  'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
  'X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: 500\r\n\r\n{"ClientId":';

test('sockets holding the server without finishing a request are answered 408 and closed; others are served meanwhile', async () => {
  const server = await startTestServer({ headersTimeout: 1000, requestTimeout: 2000, keepAliveTimeout: 500, maxConnections: 200 });
  const port = Number(new URL(server.url).port);
  try {
    const silent = await Promise.all(Array.from({ length: 15 }, () => hold(port, '')));
    const trickling = await Promise.all(Array.from({ length: 15 }, () => hold(port, PARTIAL_HEADERS)));
    const bodiless = await Promise.all(Array.from({ length: 15 }, () => hold(port, HEADERS_WITHOUT_BODY)));
    const idle = await hold(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

    // 46 sockets held: a client still gets its answers.
    const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'while-held' }));
    const listed = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(listed.UserPools?.some((p) => p.Id === created.UserPool?.Id));

    await allClosed([...silent, ...trickling, ...bodiless], 'held sockets');
    for (const h of [...silent, ...trickling, ...bodiless]) assert.match(h.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    await allClosed([idle], 'idle keep-alive sockets');
    assert.match(idle.received(), /^HTTP\/1\.1 200 OK\r\n/);
  } finally {
    releaseAll();
    await server.stop();
  }
});

test('connections beyond maxConnections are closed at once, and the server serves again once held ones go', async () => {
  // Long timeouts: here only the connection limit ends anything.
  const server = await startTestServer({ headersTimeout: 60_000, requestTimeout: 60_000, maxConnections: 20 });
  const port = Number(new URL(server.url).port);
  const held: Held[] = [];
  try {
    for (let i = 0; i < 25; i++) held.push(await hold(port, PARTIAL_HEADERS));
    // Exactly the 5 above the limit are closed by the server, with nothing sent.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (held.filter((h) => h.isClosed()).length >= 5) resolve();
        };
        for (const h of held) void h.closed.then(check);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the server did not close the connections above its limit')), DEADLINE_MS);
      }),
    ]);
    clearTimeout(timer);
    const closed = held.filter((h) => h.isClosed());
    assert.equal(closed.length, 5);
    for (const h of closed) assert.equal(h.received(), '');

    for (const h of held) h.socket.destroy();
    await allClosed(held, 'sockets closed by the client');
    // The server counts a closed connection out as soon as it sees the close; retry until it has.
    const until = Date.now() + DEADLINE_MS;
    let status: number | undefined;
    while (status === undefined && Date.now() < until) {
      status = await fetch(`${server.url}/health/live`).then(
        (r) => r.status,
        () => undefined,
      );
    }
    assert.equal(status, 200, 'the server serves again after the held connections are gone');
  } finally {
    releaseAll();
    await server.stop();
  }
});

test('HTTPS has the same bounds: a socket that never starts the TLS handshake, or never sends headers after it, is closed', async () => {
  const certDir = mkdtempSync(join(tmpdir(), 'cognate-held-tls-'));
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
    ], // prettier-ignore
    { stdio: 'ignore' },
  );
  const ca = readFileSync(join(certDir, 'cert.pem'));
  const server = await startTestServer({
    tlsCert: join(certDir, 'cert.pem'),
    tlsKey: join(certDir, 'key.pem'),
    headersTimeout: 1000,
    requestTimeout: 2000,
    keepAliveTimeout: 500,
  });
  const port = Number(new URL(server.url).port);
  try {
    const noHandshake = await Promise.all(Array.from({ length: 5 }, () => hold(port, '')));
    const noHeaders = await Promise.all(Array.from({ length: 5 }, () => hold(port, PARTIAL_HEADERS, { ca })));
    const bodiless = await Promise.all(Array.from({ length: 5 }, () => hold(port, HEADERS_WITHOUT_BODY, { ca })));
    await allClosed([...noHandshake, ...noHeaders, ...bodiless], 'held TLS sockets');
    for (const h of [...noHeaders, ...bodiless]) assert.match(h.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  } finally {
    releaseAll();
    await server.stop();
    rmSync(certDir, { recursive: true, force: true });
  }
});
