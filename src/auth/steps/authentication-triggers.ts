import type { UserPoolClientRecord, UserRecord } from '../../store/ports.js';
import { firePreAuthentication, type PreAuthenticationSubject } from '../../triggers/events/pre-authentication.js';
import { firePostAuthentication } from '../../triggers/events/post-authentication.js';
import type { AuthContext } from '../types.js';

/**
 * What the authentication triggers need of a sign-in: an API or managed-login sign-in's
 * AuthContext, or a federated sign-in's pool and app client (which has no ClientMetadata).
 */
export type AuthenticationTriggerContext = Pick<AuthContext, 'services' | 'pool' | 'clientMetadata' | 'validationData'> & {
  readonly client: Pick<UserPoolClientRecord, 'clientId'>;
};

/**
 * The pre authentication trigger for a sign-in, before its credentials are checked: InitiateAuth's
 * ClientMetadata goes to the handler as `validationData` (the guide's page says so), a
 * RespondToAuthChallenge's (a USER_AUTH password answer) as `clientMetadata`, as every trigger an
 * answer fires gets it.
 */
export async function preAuthentication(ctx: AuthenticationTriggerContext, subject: PreAuthenticationSubject): Promise<void> {
  await firePreAuthentication(ctx.services, ctx.pool, {
    clientId: ctx.client.clientId,
    subject,
    validationData: ctx.validationData,
    clientMetadata: ctx.clientMetadata,
  });
}

/** The post authentication trigger once a user has authenticated, before tokens. */
export async function postAuthentication(ctx: AuthenticationTriggerContext, user: UserRecord, newDeviceUsed: boolean): Promise<void> {
  await firePostAuthentication(ctx.services, ctx.pool, {
    clientId: ctx.client.clientId,
    user,
    newDeviceUsed,
    clientMetadata: ctx.clientMetadata,
  });
}
