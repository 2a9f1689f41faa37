import { operations, targetPrefix, signingName, type OperationName } from '../generated/cognito-idp/operations.js';
import { shapes } from '../generated/cognito-idp/schema.js';
import { InvalidParameterException, UnsupportedOperationException, InternalErrorException } from '../generated/cognito-idp/errors.js';
import { CognitoError, SerializationException, UnknownOperationException } from '../errors/cognito-error.js';
import { validateInput, validationMessage } from './validate.js';
import { verifySigV4, type IncomingSignedRequest } from './sigv4.js';
import { implemented } from './registry.js';
import { invokeOperation } from './invoke.js';
import type { OperationContext } from './define-operation.js';
import type { Services } from '../services.js';
import { isStorageUnavailable, storageFaultCode } from '../store/faults.js';

export interface ApiRequest extends IncomingSignedRequest {
  requestId: string;
  sourceIp: string;
}

export interface ApiResponse {
  status: number;
  body: string;
  /** The error's `__type`, for the `x-amzn-ErrorType` header and logs. */
  errorType?: string;
  /** The operation, once known, for logs and metrics. */
  operation?: string;
}

function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Parses awsJson1_1 input. Drops prototype keys so no object can be made to inherit them, and
 * drops JSON nulls (members and list items), which AWS treats as absent.
 */
function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'), (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor' || value === null) return undefined;
      return Array.isArray(value) ? value.filter((item) => item !== undefined) : value;
    });
  } catch {
    throw new SerializationException('Start of structure or map found where not expected.');
  }
}

/** Drops absent members so `null`s and `undefined`s never reach the wire. */
function encode(output: unknown): string {
  return JSON.stringify(output ?? {}, (_key, value: unknown) => (value === null ? undefined : value));
}

function errorResponse(error: CognitoError, operation?: string): ApiResponse {
  const body: Record<string, string> = { __type: error.type, message: error.message };
  if (error.reasonCode !== undefined) body['reasonCode'] = error.reasonCode;
  return { status: error.status, body: JSON.stringify(body), errorType: error.type, ...(operation ? { operation } : {}) };
}

/**
 * True when `X-Amz-Target` names an operation the model marks SigV4 (an admin operation). The HTTP
 * layer keeps such calls from browsers of other sites before they are dispatched.
 */
export function isAdminTarget(target: string | undefined): boolean {
  const dot = (target ?? '').lastIndexOf('.');
  const name = (target ?? '').slice(dot + 1);
  return (
    (target ?? '').slice(0, dot) === targetPrefix && Object.hasOwn(operations, name) && operations[name as OperationName].auth === 'sigv4'
  );
}

/**
 * The framework-free entry of the Cognito JSON API: target → operation, SigV4 for admin operations,
 * the model's validation, the handler, and the error mapping. Anything that is not a CognitoError
 * is logged with its cause and answered as InternalErrorException, with no detail.
 */
export async function dispatch(services: Services, req: ApiRequest): Promise<ApiResponse> {
  const target = header(req, 'x-amz-target') ?? '';
  const dot = target.lastIndexOf('.');
  const name = target.slice(dot + 1);
  if (target.slice(0, dot) !== targetPrefix || !Object.hasOwn(operations, name)) {
    return errorResponse(new UnknownOperationException());
  }
  const operationName = name as OperationName;
  const model = operations[operationName];
  try {
    let caller: OperationContext['caller'];
    if (model.auth === 'sigv4') {
      caller = verifySigV4(req, {
        secretFor: (id) => services.secretFor(id),
        service: signingName,
        region: services.config.region,
        now: services.clock.now(),
      });
    }
    const input = parseBody(req.body);
    if (model.input) {
      const problems = validateInput(shapes, model.input, input);
      if (problems.length) throw new InvalidParameterException(validationMessage(problems));
    }
    const operation = implemented.get(operationName);
    if (!operation) {
      throw new UnsupportedOperationException(`Cognate does not implement ${operationName} yet (see docs/compatibility.md).`);
    }
    const context: OperationContext = { services, requestId: req.requestId, sourceIp: req.sourceIp, caller };
    // The validator has checked `input` against this operation's input shape.
    const output = await invokeOperation(operation, input, context);
    return { status: 200, body: encode(output), operation: operationName };
  } catch (error) {
    if (error instanceof CognitoError) return errorResponse(error, operationName);
    if (isStorageUnavailable(error)) {
      // Not a bug to chase: the answer tells clients to retry (SDKs, botocore and Amplify retry a 500).
      services.logger.warn(
        { code: storageFaultCode(error), operation: operationName, requestId: req.requestId },
        'database busy or unavailable',
      );
      return errorResponse(new InternalErrorException('An internal error occurred.'), operationName);
    }
    services.logger.error({ err: error, operation: operationName, requestId: req.requestId }, 'internal error');
    return errorResponse(new InternalErrorException('An internal error occurred.'), operationName);
  }
}
