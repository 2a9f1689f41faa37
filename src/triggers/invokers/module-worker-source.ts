/**
 * The code of a worker thread that runs module handlers, one invocation at a time. It is inline
 * (`eval`) so it runs the same from `dist/` and under tsx, and plain JavaScript so the worker loads
 * no TypeScript loader.
 *
 * - Hot reload: a module is imported again when its mtime or size changed, with `?v=` so ESM gets
 *   a fresh instance, and with CommonJS's require cache entry dropped so CJS is evaluated again.
 * - What the handler prints is captured (stdout and stderr writes, so console.* too) and sent back
 *   with the outcome, trimmed, instead of interleaving with the server's JSON log lines.
 * - The result crosses as JSON text, as Lambda serialises it.
 */
export const MODULE_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { statSync } = require('node:fs');
const { randomUUID, randomBytes } = require('node:crypto');
// An eval'd worker has CommonJS's require, module, exports, __filename and __dirname as globals,
// which every ES module handler would see: Lambda's ES modules have none, and with a global
// exports a CommonJS file that loads as an ES module ("type": "module") would run without
// Node's "exports is not defined in ES module scope ... rename it to use the '.cjs' file extension".
const requireCache = require.cache;
for (const name of ['require', 'module', 'exports', '__filename', '__dirname']) delete globalThis[name];
const MAX_LOGS = 4096;
let logs = '';
const capture = (chunk, encoding, callback) => {
  if (logs.length < MAX_LOGS) logs += String(chunk);
  if (typeof encoding === 'function') encoding();
  else if (typeof callback === 'function') callback();
  return true;
};
process.stdout.write = capture;
process.stderr.write = capture;
const loaded = new Map();
async function load(file, exportName) {
  const stat = statSync(file);
  const version = stat.mtimeMs + '-' + stat.size;
  let entry = loaded.get(file);
  if (!entry || entry.version !== version) {
    delete requireCache[file];
    const module = await import(pathToFileURL(file).href + '?v=' + encodeURIComponent(version));
    entry = { version, module };
    loaded.set(file, entry);
  }
  const direct = entry.module[exportName];
  const fn = typeof direct === 'function' ? direct : entry.module.default && entry.module.default[exportName];
  if (typeof fn !== 'function') throw new Error(file + ' exports no function named ' + exportName);
  return fn;
}
function messageOf(error) {
  if (error && typeof error.message === 'string') return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const succeed = (result) => { if (!settled) { settled = true; resolve(result); } };
    const fail = (error) => { if (!settled) { settled = true; reject({ handlerError: messageOf(error) }); } };
    const callback = (error, result) => (error === undefined || error === null ? succeed(result) : fail(error));
    Object.assign(context, { done: callback, succeed, fail });
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      fail(error);
      return;
    }
    if (returned && typeof returned.then === 'function') returned.then(succeed, fail);
    else if (handler.length < 3) succeed(returned);
  });
}
function day(d) { return d.toISOString().slice(0, 10).replace(/-/g, '/'); }
parentPort.on('message', async ({ id, file, exportName, functionName, functionArn, event, deadline }) => {
  logs = '';
  const done = (outcome) => parentPort.postMessage({ id, outcome, logs: logs.slice(0, MAX_LOGS) });
  let handler;
  try {
    handler = await load(file, exportName);
  } catch (error) {
    return done({ kind: 'failed', reason: 'cannot load ' + file + ': ' + messageOf(error) });
  }
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/' + functionName,
    logStreamName: day(new Date()) + '/[$LATEST]' + randomBytes(16).toString('hex'),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let result;
  try {
    result = await runHandler(handler, event, context);
  } catch (error) {
    return done({ kind: 'handler-error', message: error.handlerError });
  }
  let json;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return done({ kind: 'invalid', reason: 'the result cannot be serialised: ' + messageOf(error) });
  }
  if (typeof json !== 'string' || !json.startsWith('{')) return done({ kind: 'invalid', reason: 'the result is not a JSON object' });
  done({ kind: 'ok', json });
});
`;
