import type { OperationName, OperationTypes } from '../generated/cognito-idp/operations.js';
import type { Services } from '../services.js';
import type { SigV4Identity } from './sigv4.js';

/** What an operation's handler gets besides its input. */
export interface OperationContext {
  readonly services: Services;
  readonly requestId: string;
  readonly sourceIp: string;
  /** The verified caller of a SigV4 operation; absent on public operations. */
  readonly caller: SigV4Identity | undefined;
}

export type Input<N extends OperationName> = OperationTypes[N]['input'];
export type Output<N extends OperationName> = OperationTypes[N]['output'];

export interface Operation<N extends OperationName = OperationName> {
  readonly name: N;
  handle(input: Input<N>, context: OperationContext): Promise<Output<N>>;
}

/**
 * Defines one operation. Its input has already passed the model's validator; the auth mode comes
 * from the model (src/generated), so an operation cannot get it wrong.
 */
export function defineOperation<N extends OperationName>(
  name: N,
  handle: (input: Input<N>, context: OperationContext) => Promise<Output<N>>,
): Operation<N> {
  return { name, handle };
}

/** Any one operation: the union over every operation name. */
export type AnyOperation = { [N in OperationName]: Operation<N> }[OperationName];
