import { defineStsOperation } from '../../define-operation.js';

/**
 * GetCallerIdentity: who signed the call. Cognate's admin key pairs stand for the account itself,
 * so they answer as the account's root user does on AWS: the account ID as UserId and
 * `arn:aws:iam::<account>:root`.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const getCallerIdentity = defineStsOperation('GetCallerIdentity', async (_input, { services }) => {
  const account = services.config.accountId;
  return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` };
});
