import type { AnyOperation } from '../../define-operation.js';
import { getLogDeliveryConfiguration } from './get-log-delivery-configuration.js';
import { setLogDeliveryConfiguration } from './set-log-delivery-configuration.js';

/** The log delivery operations, one module each. */
export const logDeliveryOperations: readonly AnyOperation[] = [getLogDeliveryConfiguration, setLogDeliveryConfiguration];
