import { CognitoError } from '../errors/cognito-error.js';
import { verifyCaller } from '../api/signed-caller.js';
import type { IncomingSignedRequest } from '../api/sigv4.js';
import { assumedRoleUser } from '../credentials/sessions.js';
import { roleForEvaluation } from '../credentials/iam-roles.js';
import { roleAllows } from '../domain/iam-policy.js';
import type { Services } from '../services.js';
import { MISSING_AUTHENTICATION_TOKEN, invokeDenied, signatureRefused, type GatewayAnswer } from './answers.js';

/** `execute-api` requests are signed for the server's region. */
const EXECUTE_API = { signingName: 'execute-api', signingRegion: null } as const;

/**
 * Who called, as API Gateway gives a proxy integration `requestContext.identity` for an AWS_IAM
 * method, plus `roleArn` and `principalTags` for the checker endpoint. Absent members are null, as
 * API Gateway's are.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export interface IamIdentity {
  readonly cognitoIdentityId: string | null;
  readonly cognitoIdentityPoolId: string | null;
  /** `authenticated` or `unauthenticated` for identity pool credentials. */
  readonly cognitoAuthenticationType: string | null;
  readonly accountId: string;
  readonly accessKey: string;
  /** `<role id>:<session name>` for a role session; the access key for an admin key. */
  readonly caller: string;
  readonly user: string;
  readonly userArn: string;
  /** The role of a role session; null for an admin key. */
  readonly roleArn: string | null;
  /** The session's principal tags (a provider's principal tag map's, at GetCredentialsForIdentity). */
  readonly principalTags: Readonly<Record<string, string>>;
  readonly sourceIp: string;
}

export type IamDecision =
  { readonly allowed: true; readonly identity: IamIdentity } | { readonly allowed: false; readonly answer: GatewayAnswer };

/**
 * Checks a SigV4 request (service `execute-api`) for `execute-api:Invoke` on `resourceArn`:
 * its signature by an admin key pair (the account: always allowed) or by temporary credentials
 * Cognate issued (unexpired, unrevoked, their session token matching), then the session's role's
 * policies, evaluated as IAM does (an explicit Deny wins, else an Allow, else denied).
 */
export async function authorizeIamRequest(
  services: Services,
  request: IncomingSignedRequest,
  resourceArn: string,
  sourceIp: string,
): Promise<IamDecision> {
  let caller;
  try {
    caller = await verifyCaller(services, EXECUTE_API, request);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    // API Gateway answers an unsigned request with its missing-token text, a bad one with the signature check's.
    if (error.name === 'MissingAuthenticationTokenException') return { allowed: false, answer: MISSING_AUTHENTICATION_TOKEN };
    return { allowed: false, answer: signatureRefused(error.message) };
  }
  const { accountId } = services.config;
  const session = caller.session;
  if (!session) {
    const userArn = `arn:aws:iam::${accountId}:root`;
    const identity: IamIdentity = {
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      cognitoAuthenticationType: null,
      accountId,
      accessKey: caller.accessKeyId,
      caller: accountId,
      user: accountId,
      userArn,
      roleArn: null,
      principalTags: {},
      sourceIp,
    };
    return { allowed: true, identity };
  }
  const fromIdentityPool = session.source === 'cognito-identity';
  const cognitoIdentity = fromIdentityPool ? await services.store.identities.get(session.subject) : undefined;
  const amr = cognitoIdentity === undefined ? undefined : cognitoIdentity.logins.length > 0 ? 'authenticated' : 'unauthenticated';
  const assumed = await assumedRoleUser(services, session.roleArn, session.sessionName);
  const role = await roleForEvaluation(services, session.roleArn, cognitoIdentity?.identityPoolId ?? '', amr);
  const decision = role
    ? await roleAllows(role, {
        action: 'execute-api:Invoke',
        resource: resourceArn,
        sessionName: session.sessionName,
        context: {
          'aws:SourceIp': sourceIp,
          ...Object.fromEntries(Object.entries(session.principalTags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
        },
      })
    : undefined;
  if (!decision?.allowed) return { allowed: false, answer: invokeDenied(assumed.arn, resourceArn) };
  const identity: IamIdentity = {
    cognitoIdentityId: fromIdentityPool ? session.subject : null,
    cognitoIdentityPoolId: cognitoIdentity?.identityPoolId ?? null,
    cognitoAuthenticationType: amr ?? null,
    accountId,
    accessKey: session.accessKeyId,
    caller: assumed.assumedRoleId,
    user: assumed.assumedRoleId,
    userArn: assumed.arn,
    roleArn: session.roleArn,
    principalTags: session.principalTags,
    sourceIp,
  };
  return { allowed: true, identity };
}
