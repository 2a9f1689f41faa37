import { operations, type OperationName } from '../generated/cognito-idp/operations.js';
import { shapes } from '../generated/cognito-idp/schema.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import { newUuid } from '../lib/ids.js';
import { validateInput, validationMessage } from './validate.js';
import { invokeOperation } from './invoke.js';
import { implemented } from './registry.js';

/** Runs a cognito-idp operation by name on a plain input; resolves with its output. */
export type AdminCall = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Runs cognito-idp operations in process as an admin would over the wire: the model's validation
 * with Cognito's messages, then the handler through invokeOperation, so every rule holds and every
 * change is audited under `accessKeyId` from `sourceIp`. Used by `cognate apply` and the console.
 */
export function adminCaller(services: Services, accessKeyId: string, sourceIp = '127.0.0.1'): AdminCall {
  return async (name, input) => {
    const model = operations[name as OperationName];
    const operation = implemented.get(name as OperationName);
    if (!model || !operation) throw new Error(`an in-process call names an operation Cognate lacks: ${name}`);
    if (model.input) {
      const problems = validateInput(shapes, model.input, input);
      if (problems.length > 0) throw new InvalidParameterException(validationMessage(problems));
    }
    const caller = { accessKeyId, region: services.config.region, service: 'cognito-idp' };
    const context = { services, requestId: newUuid(), sourceIp, caller };
    return (await invokeOperation(operation, input, context, model.auth)) as Record<string, unknown>;
  };
}
