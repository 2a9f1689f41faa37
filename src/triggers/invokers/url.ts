import type { InvokeOutcome } from '../outcome.js';

/**
 * POSTs the event as JSON to a webhook. A 2xx JSON object is the result; the header
 * `X-Amz-Function-Error` (any status) with `{"errorMessage"}` is a handler error, as the Lambda
 * Invoke API marks one; any other non-2xx answer, or none, is a failure.
 */
export function invokeUrl(url: string, event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
  return postInvocation(url, { 'content-type': 'application/json' }, JSON.stringify(event), timeoutMs, { unreachable: url, answer: url });
}

/**
 * POSTs an invocation and reads the answer with {@link readInvokeAnswer}; no answer within
 * `timeoutMs` is a timeout, a refused or broken connection a failure. `names` label the reasons.
 */
export async function postInvocation(
  url: string | URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  names: { unreachable: string; answer: string },
): Promise<InvokeOutcome> {
  let response: Response;
  let text: string;
  try {
    // Redirects are not followed: a function's answer is never somewhere else.
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { kind: 'timeout' };
    const cause = (error as Error & { cause?: Error }).cause;
    return { kind: 'failed', reason: `${names.unreachable} unreachable: ${cause?.message ?? (error as Error).message}` };
  }
  return readInvokeAnswer(response.status, response.headers.get('x-amz-function-error'), text, names.answer);
}

/** Reads an answer of the Lambda Invoke API, or of a webhook that follows its conventions. */
export function readInvokeAnswer(status: number, functionError: string | null, body: string, from: string): InvokeOutcome {
  const parsed = parseJson(body);
  if (functionError !== null) {
    const message = isObject(parsed) && typeof parsed['errorMessage'] === 'string' ? parsed['errorMessage'] : body;
    return { kind: 'handler-error', message };
  }
  if (status < 200 || status > 299) return { kind: 'failed', reason: `HTTP ${status} from ${from}` };
  if (!isObject(parsed)) return { kind: 'invalid', reason: `the answer of ${from} is not a JSON object` };
  return { kind: 'ok', result: parsed };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
