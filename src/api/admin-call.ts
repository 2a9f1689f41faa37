import type { Services } from '../services.js';
import { newUuid } from '../lib/ids.js';
import { validateInput, validationMessage } from './validate.js';
import { invokeOperation } from './invoke.js';
import { cognitoIdp, type AwsService } from './aws-services.js';

/** Runs an operation of one service by name on a plain input; resolves with its output. */
export type AdminCall = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Runs a service's operations (cognito-idp's unless another is given) in process as an admin would
 * over the wire: the model's validation with the service's messages, then the handler through
 * invokeOperation, so every rule holds and every change is audited under `accessKeyId` from
 * `sourceIp`. Used by `cognate apply` and the console.
 */
export function adminCaller(services: Services, accessKeyId: string, sourceIp = '127.0.0.1', service: AwsService = cognitoIdp): AdminCall {
  return async (name, input) => {
    const model = service.operations[name];
    const operation = service.implemented.get(name);
    if (!model || !operation) throw new Error(`an in-process call names an operation Cognate lacks: ${name}`);
    if (model.input) {
      const problems = validateInput(service.shapes, model.input, input);
      if (problems.length > 0) throw service.errors.invalidParameter(validationMessage(problems));
    }
    const caller = { accessKeyId, region: services.config.region, service: service.signingName };
    const context = { services, requestId: newUuid(), sourceIp, caller };
    return (await invokeOperation(operation, input, context, model.auth)) as Record<string, unknown>;
  };
}
