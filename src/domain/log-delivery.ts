import { FeatureUnavailableInTierException, InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { LogConfigurationType, UserPoolTierType } from '../generated/cognito-idp/shapes.js';

/*
 * The rules of SetLogDeliveryConfiguration, from the model's documentation of LogConfigurationType
 * and Cognito's guide to exporting user pool logs
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html):
 * - `userNotification` (message delivery errors) is sent at `ERROR` to a CloudWatch Logs group only;
 * - `userAuthEvents` (threat protection's user activity) is sent at `INFO` to a CloudWatch Logs
 *   group, a Firehose stream or an S3 bucket, and only by pools on the Plus feature plan;
 * - each configuration names one destination, and each event source appears once.
 * Cognito does not publish its messages for these refusals; the wording here is Cognate's.
 */

/** The one destination ARN of a configuration, and which kind it is. */
export function destinationOf(
  configuration: LogConfigurationType,
): { kind: 'CloudWatchLogs' | 'S3' | 'Firehose'; arn: string } | undefined {
  const given = [
    configuration.CloudWatchLogsConfiguration?.LogGroupArn !== undefined
      ? { kind: 'CloudWatchLogs' as const, arn: configuration.CloudWatchLogsConfiguration.LogGroupArn }
      : undefined,
    configuration.S3Configuration?.BucketArn !== undefined
      ? { kind: 'S3' as const, arn: configuration.S3Configuration.BucketArn }
      : undefined,
    configuration.FirehoseConfiguration?.StreamArn !== undefined
      ? { kind: 'Firehose' as const, arn: configuration.FirehoseConfiguration.StreamArn }
      : undefined,
  ].filter((destination) => destination !== undefined);
  return given.length === 1 ? given[0] : undefined;
}

/** The ARN service each destination kind must name (`arn:aws:<service>:...`). */
const DESTINATION_SERVICE = { CloudWatchLogs: 'logs', S3: 's3', Firehose: 'firehose' } as const;

/** Checks one pool's configurations; throws Cognito's error for the first one that breaks a rule. */
export function checkLogConfigurations(configurations: readonly LogConfigurationType[], tier: UserPoolTierType): void {
  const seen = new Set<string>();
  for (const configuration of configurations) {
    const source = configuration.EventSource;
    if (seen.has(source)) throw new InvalidParameterException(`Only one log configuration is allowed for event source ${source}.`);
    seen.add(source);
    const destination = destinationOf(configuration);
    if (!destination) {
      throw new InvalidParameterException(
        'Exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration is required in a log configuration.',
      );
    }
    if (destination.arn.split(':')[2] !== DESTINATION_SERVICE[destination.kind]) {
      throw new InvalidParameterException(`${destination.arn} is not a valid ${destination.kind} destination ARN.`);
    }
    if (source === 'userNotification') {
      if (configuration.LogLevel !== 'ERROR')
        throw new InvalidParameterException('LogLevel must be ERROR for event source userNotification.');
      if (destination.kind !== 'CloudWatchLogs') {
        throw new InvalidParameterException('Event source userNotification can only be delivered to CloudWatch Logs.');
      }
    } else {
      if (configuration.LogLevel !== 'INFO') throw new InvalidParameterException('LogLevel must be INFO for event source userAuthEvents.');
      if (tier !== 'PLUS') {
        throw new FeatureUnavailableInTierException(
          `Exporting userAuthEvents logs requires the PLUS feature plan; this user pool is ${tier}.`,
        );
      }
    }
  }
}
