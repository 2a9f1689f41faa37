import { appendFile } from 'node:fs/promises';
import { AUTH_EVENT_TYPES } from '../domain/auth-events.js';
import { destinationOf } from '../domain/log-delivery.js';
import type { EventSourceName } from '../generated/cognito-idp/shapes.js';
import type { AuditEvent, LogDeliveryConfigurationStore } from '../store/ports.js';

/**
 * Which log a recorded event belongs to: the auth events (the ones AdminListUserAuthEvents lists)
 * are user activity, `userAuthEvents`; a message that could not be delivered is a
 * `userNotification` error. Anything else is not exported, as in Cognito.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html
 */
function eventSourceOf(event: AuditEvent): EventSourceName | undefined {
  if (event.outcome === 'Fail' && event.error === 'CodeDeliveryFailureException') return 'userNotification';
  return event.event in AUTH_EVENT_TYPES ? 'userAuthEvents' : undefined;
}

/**
 * Log delivery: each recorded event of a pool whose log delivery configuration takes its event
 * source is appended to one file as a JSON line naming the destination ARN it would have gone
 * to. One line is one `appendFile` (O_APPEND), so lines from several workers do not interleave.
 */
export class LogDelivery {
  constructor(
    private readonly file: string,
    private readonly configurations: LogDeliveryConfigurationStore,
  ) {}

  async deliver(event: AuditEvent): Promise<void> {
    if (event.poolId === null) return;
    const source = eventSourceOf(event);
    if (!source) return;
    const configuration = (await this.configurations.get(event.poolId))?.find((c) => c.EventSource === source);
    const destination = configuration && destinationOf(configuration);
    if (!configuration || !destination) return;
    const line = {
      destination: destination.arn,
      eventSource: source,
      logLevel: configuration.LogLevel,
      eventTimestamp: new Date(event.at).toISOString(),
      eventId: event.eventId,
      eventType: AUTH_EVENT_TYPES[event.event] ?? event.event,
      eventResponse: event.outcome,
      userPoolId: event.poolId,
      clientId: event.clientId,
      username: event.username,
      userSub: event.sub,
      ipAddress: event.sourceIp,
      requestId: event.requestId,
      error: event.error,
    };
    await appendFile(this.file, `${JSON.stringify(line)}\n`, 'utf8');
  }
}
