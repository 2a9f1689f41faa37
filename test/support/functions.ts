/**
 * Lambda trigger handlers for tests, in the three places the `functions` setting can put them:
 * `module` (files written to a temporary folder), `url` and `lambdaEndpoint` (one real HTTP server
 * that runs the same files in this process and speaks both the plain POST and the Lambda Invoke
 * API). A test writes its handlers once, the way AWS's developer guide writes them, and can run
 * the same scenario in every mode.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before } from 'node:test';
import type { FunctionTarget } from '../../src/config/schema.js';

export type FunctionMode = 'module' | 'url' | 'lambdaEndpoint';
export const FUNCTION_MODES: readonly FunctionMode[] = ['module', 'url', 'lambdaEndpoint'];

/** The account and region of the test functions' ARNs. */
export const FUNCTION_ACCOUNT = '000000000000';

/** The ARN of a test function, as a pool's LambdaConfig names it. */
export function functionArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:lambda:${region}:${FUNCTION_ACCOUNT}:function:${name}`;
}

/**
 * Writes each handler's source (ESM, unless the name ends in `.cjs`) to a fresh temporary folder and
 * returns the `functions` setting that maps each function name to its file, export `handler`.
 */
export function moduleFunctions(sources: Readonly<Record<string, string>>): Map<string, FunctionTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-functions-'));
  const functions = new Map<string, FunctionTarget>();
  for (const [name, source] of Object.entries(sources)) {
    const commonJs = name.endsWith('.cjs');
    const functionName = commonJs ? name.slice(0, -'.cjs'.length) : name;
    const file = join(dir, `${functionName}.${commonJs ? 'cjs' : 'mjs'}`);
    writeFileSync(file, source);
    functions.set(functionName, { kind: 'module', file, exportName: 'handler' });
  }
  return functions;
}

type Handler = (event: Record<string, unknown>, context: Record<string, unknown>) => Promise<unknown>;

export interface FunctionServer {
  /** The `functions` setting that reaches each handler in `mode`. */
  targets(mode: FunctionMode): Map<string, FunctionTarget>;
  /** The events each function received over HTTP, oldest first. */
  events(name: string): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Serves module handlers over HTTP from this process: `POST /url/<name>` answers as a `url`
 * function, `POST /2015-03-31/functions/<arn>/invocations` as the Lambda Invoke API (a thrown error
 * comes back marked `X-Amz-Function-Error: Unhandled` in both, as Lambda marks it). The signature is not
 * checked here; test/triggers/lambda-endpoint.test.ts checks what the invoker signs.
 */
export async function serveFunctions(modules: ReadonlyMap<string, FunctionTarget>): Promise<FunctionServer> {
  const handlers = new Map<string, Handler>();
  for (const [name, target] of modules) {
    if (target.kind !== 'module') throw new Error(`${name} is not a module function`);
    const loaded = (await import(pathToFileURL(target.file).href)) as Record<string, unknown>;
    const handler = (loaded[target.exportName] ?? (loaded['default'] as Record<string, unknown> | undefined)?.[target.exportName]) as
      Handler | undefined;
    if (typeof handler !== 'function') throw new Error(`${target.file} has no export ${target.exportName}`);
    handlers.set(name, handler);
  }
  const received = new Map<string, Record<string, unknown>[]>();
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    const invokeApi = path.startsWith('/2015-03-31/functions/');
    const name = invokeApi ? (/:function:([^:/]+)/.exec(decodeURIComponent(path))?.[1] ?? '') : path.slice('/url/'.length);
    const handler = handlers.get(name);
    if (!handler) {
      res
        .writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end(JSON.stringify({ message: `Function not found: ${name}` }));
      return;
    }
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    received.set(name, [...(received.get(name) ?? []), structuredClone(event)]);
    const context = { functionName: name, awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 5000 };
    try {
      const result = await handler(event, context);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      // Both modes mark a handler's error as the Invoke API does (a url function may, see src/triggers/invokers/url.ts).
      const message = error instanceof Error ? error.message : String(error);
      res.writeHead(200, { 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify({ errorMessage: message, errorType: 'Error' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    targets(mode) {
      if (mode === 'module') return new Map(modules);
      const targets = new Map<string, FunctionTarget>();
      for (const name of modules.keys()) {
        targets.set(name, mode === 'url' ? { kind: 'url', url: `${base}/url/${name}` } : { kind: 'lambdaEndpoint', endpoint: base });
      }
      return targets;
    },
    events: (name) => received.get(name) ?? [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * {@link serveFunctions} for all the tests of a file: started before them, closed after them,
 * together with every test server handed to `stopAfter`.
 */
export function functionsForTests(modules: ReadonlyMap<string, FunctionTarget>): {
  targets(mode: FunctionMode): Map<string, FunctionTarget>;
  stopAfter<T extends { stop(): Promise<void> }>(server: T): T;
} {
  let functions: FunctionServer | undefined;
  const servers: { stop(): Promise<void> }[] = [];
  before(async () => {
    functions = await serveFunctions(modules);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await functions?.close();
  });
  return {
    targets(mode) {
      if (!functions) throw new Error('the function server starts before the tests');
      return functions.targets(mode);
    },
    stopAfter(server) {
      servers.push(server);
      return server;
    },
  };
}
