import { CognitoError, SerializationException } from '../errors/cognito-error.js';
import { validateInput, validationMessage } from './validate.js';
import type { IncomingSignedRequest } from './sigv4.js';
import { authorizeCaller, verifyCaller } from './signed-caller.js';
import { invokeOperation } from './invoke.js';
import { cognitoIdp, serviceForTarget, type AwsService } from './aws-services.js';
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
  /** The answer's media type; the awsJson1_1 one when absent. */
  contentType?: string;
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
export function parseBody(body: Buffer): unknown {
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
export function encode(output: unknown): string {
  return JSON.stringify(output ?? {}, (_key, value: unknown) => (value === null ? undefined : value));
}

function errorResponse(error: CognitoError, operation?: string): ApiResponse {
  const body: Record<string, string> = { __type: error.type, message: error.message };
  if (error.reasonCode !== undefined) body['reasonCode'] = error.reasonCode;
  return { status: error.status, body: JSON.stringify(body), errorType: error.type, ...(operation ? { operation } : {}) };
}

/** The operation an awsJson1_1 `X-Amz-Target` names, with its service, when the service models it. */
function targetOperation(target: string): { service: AwsService; name: string } | undefined {
  const service = serviceForTarget(target);
  const name = target.slice(target.lastIndexOf('.') + 1);
  return service && Object.hasOwn(service.operations, name) ? { service, name } : undefined;
}

/**
 * True when `X-Amz-Target` names an operation its service's model marks SigV4 (an admin operation).
 * The HTTP layer keeps such calls from browsers of other sites before they are dispatched.
 */
export function isAdminTarget(target: string | undefined): boolean {
  const found = targetOperation(target ?? '');
  return found !== undefined && found.service.operations[found.name]!.auth === 'sigv4';
}

/** What running one operation came to: its output, or the error its service answers. */
export type OperationOutcome = { ok: true; output: unknown } | { ok: false; error: CognitoError };

/**
 * Runs one modelled operation of a service, whatever its protocol: SigV4 (scoped to the service's
 * signing name; admin keys or temporary credentials, src/api/signed-caller.ts) when the model marks
 * the operation so, then `decode` (the protocol's parsing of the input), the model's validation,
 * what the caller may do, the handler from the service's registry, and the error mapping.
 * Anything that is not a CognitoError is logged with its cause and becomes the service's internal
 * error, with no detail.
 */
export async function runServiceOperation(
  services: Services,
  service: AwsService,
  operationName: string,
  req: ApiRequest,
  decode: () => unknown,
): Promise<OperationOutcome> {
  const model = service.operations[operationName]!;
  try {
    const caller = model.auth === 'sigv4' ? await verifyCaller(services, service, req) : undefined;
    const input = decode();
    if (model.input) {
      const problems = validateInput(service.shapes, model.input, input);
      if (problems.length) throw service.errors.invalidParameter(validationMessage(problems));
    }
    if (caller) authorizeCaller(services, service, operationName, caller, input);
    const operation = service.implemented.get(operationName);
    if (!operation) throw service.errors.notImplemented(operationName);
    const context: OperationContext = { services, requestId: req.requestId, sourceIp: req.sourceIp, caller };
    // The validator has checked `input` against this operation's input shape.
    return { ok: true, output: await invokeOperation(operation, input, context, model.auth) };
  } catch (error) {
    if (error instanceof CognitoError) return { ok: false, error };
    const log = { operation: operationName, service: service.id, requestId: req.requestId };
    if (isStorageUnavailable(error)) {
      // Not a bug to chase: the answer tells clients to retry (SDKs, botocore and Amplify retry a 500).
      services.logger.warn({ code: storageFaultCode(error), ...log }, 'database busy or unavailable');
    } else {
      services.logger.error({ err: error, ...log }, 'internal error');
    }
    return { ok: false, error: service.errors.internal() };
  }
}

/**
 * The framework-free entry of the awsJson1_1 APIs (Cognito user pools and identity pools):
 * `X-Amz-Target` → service (by its prefix) → operation, run by {@link runServiceOperation}, answered
 * as JSON. A target no service models is UnknownOperationException.
 */
export async function dispatch(services: Services, req: ApiRequest): Promise<ApiResponse> {
  const target = header(req, 'x-amz-target') ?? '';
  const found = targetOperation(target);
  if (!found)
    return errorResponse((serviceForTarget(target) ?? cognitoIdp).errors.unknownOperation(target.slice(target.lastIndexOf('.') + 1)));
  const outcome = await runServiceOperation(services, found.service, found.name, req, () => parseBody(req.body));
  if (!outcome.ok) return errorResponse(outcome.error, found.name);
  return { status: 200, body: encode(outcome.output), operation: found.name };
}
