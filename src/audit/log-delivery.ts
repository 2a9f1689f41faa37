import { appendFile } from 'node:fs/promises';
import { AUTH_EVENT_TYPES } from '../domain/auth-events.js';
import { destinationOf } from '../domain/log-delivery.js';
import type { EventSourceName } from '../generated/cognito-idp/shapes.js';
import type { AuditEvent, LogDeliveryConfigurationStore } from '../store/ports.js';

/**
 * Which logs a recorded event belongs to: the auth events (the ones AdminListUserAuthEvents lists)
 * are user activity, `userAuthEvents`; a message that could not be delivered is a
 * `userNotification` error (a sign-up whose code could not be sent is both). Anything else is not
 * exported, as in Cognito.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html
 */
function eventSourcesOf(event: AuditEvent): EventSourceName[] {
  const sources: EventSourceName[] = [];
  if (event.outcome === 'Fail' && event.error === 'CodeDeliveryFailureException') sources.push('userNotification');
  if (event.event in AUTH_EVENT_TYPES) sources.push('userAuthEvents');
  return sources;
}

/**
 * Log delivery: each recorded event of a pool whose log delivery configuration takes its event
 * source is appended to one file as a JSON line naming the destination ARN it would have gone
 * to. An event's lines are one `appendFile` (O_APPEND), so lines from several workers do not
 * interleave.
 */
export class LogDelivery {
  constructor(
    private readonly file: string,
    private readonly configurations: LogDeliveryConfigurationStore,
  ) {}

  async deliver(event: AuditEvent): Promise<void> {
    if (event.poolId === null) return;
    const sources = eventSourcesOf(event);
    if (sources.length === 0) return;
    const configurations = (await this.configurations.get(event.poolId)) ?? [];
    const lines = sources.flatMap((source) => {
      const configuration = configurations.find((c) => c.EventSource === source);
      const destination = configuration && destinationOf(configuration);
      return configuration && destination ? [this.line(event, source, configuration.LogLevel, destination.arn)] : [];
    });
    if (lines.length > 0) await appendFile(this.file, lines.join(''), 'utf8');
  }

  /** One delivered event as its JSON line. */
  private line(event: AuditEvent, source: EventSourceName, logLevel: string, destination: string): string {
    const line = {
      destination,
      eventSource: source,
      logLevel,
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
    return `${JSON.stringify(line)}\n`;
  }
}
