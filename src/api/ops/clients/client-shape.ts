import type { ClientSecretDescriptorType, UserPoolClientDescription, UserPoolClientType } from '../../../generated/cognito-idp/shapes.js';
import type { ClientSecretRecord, UserPoolClientRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';

/**
 * The UserPoolClientType of Create/Describe/UpdateUserPoolClient. `ClientSecret` is the first
 * (oldest) active secret, as Cognito shows it.
 */
export function toUserPoolClientType(client: UserPoolClientRecord): UserPoolClientType {
  const secret = client.secrets[0]?.secret;
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(secret ? { ClientSecret: secret } : {}),
    LastModifiedDate: epochSeconds(client.updatedAt),
    CreationDate: epochSeconds(client.createdAt),
    ...client.config,
  };
}

/** The ListUserPoolClients entry. */
export function toUserPoolClientDescription(client: UserPoolClientRecord): UserPoolClientDescription {
  return { ClientId: client.clientId, UserPoolId: client.poolId, ClientName: client.name };
}

/**
 * A client secret as the secret operations describe it. The value is shown only when asked for
 * (AddUserPoolClientSecret of a secret Cognito generated); listings never show it.
 */
export function toClientSecretDescriptor(secret: ClientSecretRecord, withValue = false): ClientSecretDescriptorType {
  return {
    ClientSecretId: secret.id,
    ...(withValue ? { ClientSecretValue: secret.secret } : {}),
    ClientSecretCreateDate: epochSeconds(secret.createdAt),
  };
}

/**
 * A new secret record. IDs follow Cognito's `<client-id>--<epoch-create-time>` form (milliseconds
 * here); a second secret made in the same millisecond gets the next one so IDs stay unique.
 */
export function newClientSecretRecord(
  clientId: string,
  secret: string,
  now: number,
  existing: readonly ClientSecretRecord[] = [],
): ClientSecretRecord {
  let createdAt = now;
  while (existing.some((s) => s.id === `${clientId}--${createdAt}`)) createdAt++;
  return { id: `${clientId}--${createdAt}`, secret, createdAt };
}
