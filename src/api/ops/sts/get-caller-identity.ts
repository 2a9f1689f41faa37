import { defineStsOperation } from '../../define-operation.js';
import { assumedRoleUser } from '../../../credentials/sessions.js';

/**
 * GetCallerIdentity: who signed the call. Cognate's admin key pairs stand for the account itself,
 * so they answer as the account's root user does on AWS: the account ID as UserId and
 * `arn:aws:iam::<account>:root`. Temporary credentials Cognate issued answer as their assumed
 * role: `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`, UserId
 * `<role id>:<session name>` (the IAM role's RoleId when a role record defines it), the role's
 * account. As on AWS, the session's principal tags show in neither.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const getCallerIdentity = defineStsOperation('GetCallerIdentity', async (_input, { services, caller }) => {
  if (caller?.session) {
    const user = await assumedRoleUser(services, caller.session.roleArn, caller.session.sessionName);
    return { UserId: user.assumedRoleId, Account: user.account, Arn: user.arn };
  }
  const account = services.config.accountId;
  return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` };
});
