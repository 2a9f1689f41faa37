import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { InboxStore } from '../store/ports.js';
import type { Clock } from '../lib/clock.js';
import { DiscardDelivery, InboxDelivery, RoutedDelivery, type MessageDelivery } from './delivery.js';
import { SmtpDelivery } from './smtp.js';
import { SnsSmsDelivery, WebhookSmsDelivery } from './sms.js';

/**
 * The delivery the settings ask for: email over SMTP (`smtpUrl`), SMS to a webhook
 * (`smsWebhookUrl`) or through SNS (`snsEndpoint`), each with a copy in the local inbox while
 * `inbox` is on; a medium without a sender goes to the inbox alone, or nowhere.
 */
export function createDelivery(config: Config, inbox: InboxStore, clock: Clock, logger: Logger): MessageDelivery {
  const email = config.smtpUrl === undefined ? undefined : new SmtpDelivery(config.smtpUrl, config.deliveryTimeout);
  const sms =
    config.smsWebhookUrl !== undefined
      ? new WebhookSmsDelivery(config.smsWebhookUrl, config.deliveryTimeout)
      : config.snsEndpoint !== undefined
        ? new SnsSmsDelivery(config.snsEndpoint, config.region, config.deliveryTimeout)
        : undefined;
  const kept = config.inbox ? new InboxDelivery(inbox, clock, logger) : undefined;
  if (!email && !sms) return kept ?? new DiscardDelivery(logger);
  return new RoutedDelivery({ email, sms, inbox: kept }, new DiscardDelivery(logger));
}
