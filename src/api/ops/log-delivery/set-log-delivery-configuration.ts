import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { checkLogConfigurations } from '../../../domain/log-delivery.js';
import type { LogConfigurationType } from '../../../generated/cognito-idp/shapes.js';

/** Only the modelled members of a configuration, in the model's order. */
function stored(configuration: LogConfigurationType): LogConfigurationType {
  return {
    LogLevel: configuration.LogLevel,
    EventSource: configuration.EventSource,
    ...(configuration.CloudWatchLogsConfiguration && { CloudWatchLogsConfiguration: { ...configuration.CloudWatchLogsConfiguration } }),
    ...(configuration.S3Configuration && { S3Configuration: { ...configuration.S3Configuration } }),
    ...(configuration.FirehoseConfiguration && { FirehoseConfiguration: { ...configuration.FirehoseConfiguration } }),
  };
}

/**
 * SetLogDeliveryConfiguration: replaces the pool's log configurations (an empty list turns log
 * delivery off), checked by the rules in src/domain/log-delivery.ts. Cognate delivers the events
 * of each configuration to the file of the `logDeliveryFile` setting, tagged with the
 * destination's ARN (src/audit/log-delivery.ts); it never calls CloudWatch, S3 or Firehose.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetLogDeliveryConfiguration.html
 */
export const setLogDeliveryConfiguration = defineOperation('SetLogDeliveryConfiguration', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  checkLogConfigurations(input.LogConfigurations, pool.config.UserPoolTier ?? 'ESSENTIALS');
  const configurations = input.LogConfigurations.map(stored);
  await services.store.logDeliveryConfigurations.put(pool.id, configurations, services.clock.now());
  return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configurations } };
});
