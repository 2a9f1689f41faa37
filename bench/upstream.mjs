// The gateway paths' upstream: a team's own service at its cheapest, answering every request
// 200 {"ok":true} on 127.0.0.1:$PORT. A process of its own (bench/targets.ts, startUpstream), so
// it shares no event loop with the load generator, and its CPU is not counted as the server's.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';

const body = JSON.stringify({ ok: true });
const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };

createServer((request, response) => {
  request.resume();
  response.writeHead(200, headers).end(body);
}).listen(Number(process.env['PORT']), '127.0.0.1');
