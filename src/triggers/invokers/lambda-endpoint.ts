import { signAwsPost } from '../../lib/aws-signing.js';
import type { InvokeOutcome } from '../outcome.js';
import { postInvocation } from './url.js';

/** The region of a function ARN, or `fallback` for a bare name. */
function regionOf(functionArn: string, fallback: string): string {
  return /^arn:[^:]+:lambda:([^:]+):/.exec(functionArn)?.[1] ?? fallback;
}

/**
 * Calls the AWS Lambda Invoke API (RequestResponse) at `endpoint`, SigV4-signed for service
 * `lambda` in the ARN's region with the standard AWS environment credentials. An answer marked
 * `X-Amz-Function-Error` (Unhandled or Handled) is the handler's error.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export async function invokeLambdaEndpoint(
  endpoint: string,
  functionArn: string,
  event: unknown,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
  defaultRegion = 'us-east-1',
): Promise<InvokeOutcome> {
  const url = new URL(`${endpoint}/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`);
  const body = JSON.stringify(event);
  const headers = await signAwsPost({
    url,
    service: 'lambda',
    region: regionOf(functionArn, defaultRegion),
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
    body,
    env,
  });
  return postInvocation(url, headers, body, timeoutMs, { unreachable: endpoint, answer: `${endpoint} for ${functionArn}` });
}
