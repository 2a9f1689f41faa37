import type { DeliveryMediumType } from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { temporaryPasswordValidityMs } from './steps/user-status.js';
import { sendMessage } from '../messaging/send.js';
import type { MessageOrigin } from '../triggers/events/custom-message.js';

export interface InvitationTarget {
  medium: 'EMAIL' | 'SMS';
  destination: string;
}

/**
 * Where AdminCreateUser sends the invitation. With DesiredDeliveryMediums, each medium needs its
 * attribute: `No email provided but desired delivery medium was Email` is Cognito's text for
 * EMAIL; the SMS text mirrors it (best guess). Without it Cognito's default is SMS, and a user
 * with no phone number gets the invitation by email; a user with neither gets none.
 */
export function invitationTargets(
  attributes: Readonly<Record<string, string>>,
  mediums: readonly DeliveryMediumType[] | undefined,
): InvitationTarget[] {
  const email = attributes['email'] || undefined;
  const phone = attributes['phone_number'] || undefined;
  if (mediums === undefined || mediums.length === 0) {
    if (phone) return [{ medium: 'SMS', destination: phone }];
    if (email) return [{ medium: 'EMAIL', destination: email }];
    return [];
  }
  const targets: InvitationTarget[] = [];
  for (const medium of new Set(mediums)) {
    if (medium === 'EMAIL') {
      if (!email) throw new InvalidParameterException('No email provided but desired delivery medium was Email');
      targets.push({ medium: 'EMAIL', destination: email });
    } else if (medium === 'SMS') {
      if (!phone) throw new InvalidParameterException('No phone_number provided but desired delivery medium was SMS');
      targets.push({ medium: 'SMS', destination: phone });
    }
  }
  return targets;
}

/**
 * The name the invitation tells the user to sign in with: in pools that sign in with email or phone
 * that value, since the internal username is a UUID nobody types.
 */
export function signInName(pool: UserPoolRecord, user: UserRecord): string {
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const email = user.attributes['email'];
  const phone = user.attributes['phone_number'];
  if (usernameAttributes.includes('email') && email) return email;
  if (usernameAttributes.includes('phone_number') && phone) return phone;
  return user.username;
}

/**
 * Sends the invitation with the temporary password (src/messaging/send.ts: custom sender, custom
 * message trigger, or the pool's invitation message; a body without `{####}` is not delivered).
 */
export async function deliverInvitation(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  password: string,
  targets: readonly InvitationTarget[],
  origin: MessageOrigin,
): Promise<void> {
  for (const target of targets) {
    await sendMessage(services, pool, user, {
      source: 'AdminCreateUser',
      medium: target.medium,
      destination: target.destination,
      purpose: 'admin-create-user',
      code: password,
      username: signInName(pool, user),
      expiresAt: services.clock.now() + temporaryPasswordValidityMs(pool),
      origin,
    });
  }
}
