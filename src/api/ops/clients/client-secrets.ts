import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { ClientSecretRecord, UserPoolClientRecord } from '../../../store/ports.js';

/** Most secrets a client holds at once, for rotation without downtime (AddUserPoolClientSecret docs). */
export const MAX_CLIENT_SECRETS = 2;

/** The client's secret with this ID, or ResourceNotFoundException (best-guess text). */
export function requireClientSecret(client: UserPoolClientRecord, secretId: string): ClientSecretRecord {
  const secret = client.secrets.find((s) => s.id === secretId);
  if (!secret) throw new ResourceNotFoundException(`Client secret ${secretId} does not exist.`);
  return secret;
}
