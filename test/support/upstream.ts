import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

/** One request as the upstream received it. */
export interface UpstreamRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A tiny HTTP service behind the gateway: it records every request and answers as `respond` says (by default, JSON echoing it). */
export interface Upstream {
  url: string;
  requests: UpstreamRequest[];
  /** Settles once it listens (root hooks of node:test run concurrently, so a server's set-up awaits this). */
  ready: Promise<void>;
  /** Replaces the answer; the default echoes method, url and the body's size. */
  respond: (request: UpstreamRequest, response: ServerResponse) => void;
}

function echo(request: UpstreamRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
  response.end(JSON.stringify({ method: request.method, url: request.url, bytes: request.body.length }));
}

/** Starts an upstream on a free loopback port before the file's tests, and closes it after them. */
export function upstreamForTests(): Upstream {
  let listening: () => void = () => undefined;
  const upstream: Upstream = { url: '', requests: [], respond: echo, ready: new Promise<void>((resolve) => (listening = resolve)) };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) };
      upstream.requests.push(recorded);
      upstream.respond(recorded, response);
    });
  });
  before(
    () =>
      new Promise<void>((resolve) => {
        server.listen(0, '127.0.0.1', () => {
          upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          listening();
          resolve();
        });
      }),
  );
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  upstream.respond = echo;
  return upstream;
}

/** The echo answer, for tests that put it back after changing `respond`. */
export const echoResponse = echo;

/** Runs `fn`, a request the gateway must refuse, and asserts that nothing of it reached the upstream. */
export async function notForwarded<T>(upstream: Upstream, fn: () => Promise<T>): Promise<T> {
  const before = upstream.requests.length;
  const result = await fn();
  assert.equal(upstream.requests.length, before, 'a refused request reached the upstream');
  return result;
}
