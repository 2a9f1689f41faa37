import { UserNotFoundException } from '../../generated/cognito-idp/errors.js';
import type { UserPoolClientRecord } from '../../store/ports.js';
import { incorrectCredentials, spendDecoyVerification } from './password.js';

/**
 * The answer to a sign-in that names no user. With PreventUserExistenceErrors ENABLED it is the
 * same answer, after the same hashing time, as a wrong password; with LEGACY it says so.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
 */
export async function unknownUser(client: UserPoolClientRecord, password: string | undefined): Promise<never> {
  if (client.config.PreventUserExistenceErrors === 'ENABLED') {
    if (password !== undefined) await spendDecoyVerification(password);
    throw incorrectCredentials();
  }
  throw new UserNotFoundException('User does not exist.');
}
