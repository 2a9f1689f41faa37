import type { NotifyConfigurationType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolRecord } from '../store/ports.js';

/** An email's sender fields. */
export interface EmailAddresses {
  from: string;
  replyTo?: string;
}

/** The email address of an SES identity ARN (`arn:aws:ses:<region>:<account>:identity/<address>`); undefined for a domain identity. */
function identityAddress(sourceArn: string | undefined): string | undefined {
  const identity = /:identity\/(.+)$/.exec(sourceArn ?? '')?.[1];
  return identity?.includes('@') ? identity : undefined;
}

/**
 * From and Reply-To of a pool's email, as Cognito decides them from EmailConfiguration: with
 * `EmailSendingAccount: DEVELOPER`, `From` (an address, or a name with it), else the SES identity of
 * `SourceArn`; with Cognito's own sending (the default), the `SourceArn` identity's address, else
 * the default sender (`defaultFrom`, Cognito's `no-reply@verificationemail.com` unless configured).
 * `ReplyToEmailAddress` is the Reply-To in both.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
 */
export function emailAddresses(pool: UserPoolRecord, defaultFrom: string): EmailAddresses {
  const c = pool.config.EmailConfiguration ?? {};
  const developerFrom = c.EmailSendingAccount === 'DEVELOPER' ? c.From : undefined;
  const from = developerFrom ?? identityAddress(c.SourceArn) ?? defaultFrom;
  return c.ReplyToEmailAddress ? { from, replyTo: c.ReplyToEmailAddress } : { from };
}

/**
 * From and Reply-To of a risk notification: NotifyConfiguration's `From`, else the address of its
 * `SourceArn` identity, else the default sender; its `ReplyTo`.
 */
export function notificationAddresses(notify: NotifyConfigurationType, defaultFrom: string): EmailAddresses {
  const from = notify.From ?? identityAddress(notify.SourceArn) ?? defaultFrom;
  return notify.ReplyTo ? { from, replyTo: notify.ReplyTo } : { from };
}
