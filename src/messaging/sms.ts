import { signAwsPost } from '../lib/aws-signing.js';
import { DeliveryFailedError, type MessageDelivery, type OutgoingMessage } from './delivery.js';

/**
 * POSTs to `url` within `timeoutMs`; an answer other than 2xx, an unreachable server or the
 * deadline is a {@link DeliveryFailedError} whose reason is the status or the error's kind, never
 * the answer's body (it may echo the message).
 */
async function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as Error).name;
    throw new DeliveryFailedError('SMS', name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${url.host} unreachable`);
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) throw new DeliveryFailedError('SMS', `${url.host} answered ${response.status}`);
}

/**
 * Sends SMS messages to an HTTP webhook as JSON: `phoneNumber`, `message`, and which pool, user
 * and purpose they are for, so the receiver can route or record them.
 */
export class WebhookSmsDelivery implements MessageDelivery {
  private readonly url: URL;
  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(url);
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    const body = JSON.stringify({
      phoneNumber: message.destination,
      message: message.message,
      userPoolId: message.poolId,
      username: message.username,
      purpose: message.purpose,
    });
    await post(this.url, { 'content-type': 'application/json' }, body, this.timeoutMs);
  }
}

/**
 * Sends SMS messages with Amazon SNS's `Publish` action (awsQuery, SigV4-signed for `sns`) to an
 * SNS-compatible endpoint: AWS SNS itself or LocalStack. Like Cognito, it marks them transactional.
 *
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export class SnsSmsDelivery implements MessageDelivery {
  private readonly url: URL;
  constructor(
    endpoint: string,
    private readonly region: string,
    private readonly timeoutMs: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.url = new URL(endpoint);
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    const body = new URLSearchParams({
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: message.destination,
      Message: message.message,
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    }).toString();
    const headers = await signAwsPost({
      url: this.url,
      service: 'sns',
      region: this.region,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      env: this.env,
    });
    await post(this.url, headers, body, this.timeoutMs);
  }
}
