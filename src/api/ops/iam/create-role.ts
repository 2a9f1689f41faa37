import { defineIamOperation } from '../../define-operation.js';
import { EntityAlreadyExistsException } from '../../../generated/iam/errors.js';
import type { IamRoleRecord } from '../../../store/ports.js';
import { checkedDocument, newIamId, refuseUnkept, roleShape } from './iam-shapes.js';

/** A role's session limit when CreateRole names none: one hour, as IAM. */
const DEFAULT_MAX_SESSION_DURATION = 3600;

/**
 * CreateRole: a role of the account, `arn:aws:iam::<account>:role<path><name>`, with its trust
 * policy (checked as IAM checks it). Names are unique regardless of case.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export const createRole = defineIamOperation('CreateRole', async (input, { services }) => {
  refuseUnkept(input);
  const path = input.Path ?? '/';
  const role: IamRoleRecord = {
    name: input.RoleName,
    path,
    id: newIamId('AROA'),
    arn: `arn:aws:iam::${services.config.accountId}:role${path}${input.RoleName}`,
    trustPolicy: checkedDocument(input.AssumeRolePolicyDocument, 'trust'),
    description: input.Description,
    maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    createdAt: services.clock.now(),
  };
  if (!(await services.store.iam.createRole(role)))
    throw new EntityAlreadyExistsException(`Role with name ${input.RoleName} already exists.`);
  return { Role: roleShape(role) };
});
