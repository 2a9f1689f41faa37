import {
  InvalidLambdaResponseException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
} from '../generated/cognito-idp/errors.js';
import type { CognitoError } from '../errors/cognito-error.js';

/**
 * What one invocation of a trigger function came to, whatever ran it.
 * - `ok`: the function returned a JSON object (the event with `response` filled in).
 * - `handler-error`: the handler threw, rejected or called back with an error; its message.
 * - `timeout`: no answer in time.
 * - `failed`: it could not run or crashed (no mapping, load error, exit, HTTP 5xx, unreachable).
 * - `invalid`: it answered something that is not a JSON object.
 */
export type InvokeOutcome =
  | { kind: 'ok'; result: Record<string, unknown> }
  | { kind: 'handler-error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'failed'; reason: string }
  | { kind: 'invalid'; reason: string };

/** An outcome with what the function printed, for the invocation log. */
export type RunResult = InvokeOutcome & { logs?: string };

/**
 * The Cognito exception a caller gets for a failed trigger, as AWS words it. Returns undefined for
 * `ok`. `triggerName` is Cognito's name for the trigger in messages, e.g. `PreSignUp`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
 */
export function cognitoErrorFor(outcome: InvokeOutcome, triggerName: string): CognitoError | undefined {
  switch (outcome.kind) {
    case 'ok':
      return undefined;
    case 'handler-error':
      return new UserLambdaValidationException(`${triggerName} failed with error ${outcome.message}.`);
    case 'invalid':
      return new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: outcome.reason });
    case 'timeout':
      return new UnexpectedLambdaException(`${triggerName} invocation failed due to timeout.`);
    case 'failed':
      return new UnexpectedLambdaException(`${triggerName} invocation failed.`, { cause: outcome.reason });
  }
}

/** Whether `error` is one of the exceptions of a failed trigger (as {@link cognitoErrorFor} gives them). */
export function isTriggerFailure(error: unknown): error is CognitoError {
  return (
    error instanceof UserLambdaValidationException ||
    error instanceof InvalidLambdaResponseException ||
    error instanceof UnexpectedLambdaException
  );
}
