import { defineIamOperation } from '../../define-operation.js';
import { EntityAlreadyExistsException } from '../../../generated/iam/errors.js';
import type { IamPolicyRecord } from '../../../store/ports.js';
import { checkedDocument, newIamId, refuseUnkept, seconds } from './iam-shapes.js';

/**
 * CreatePolicy: a customer managed policy, `arn:aws:iam::<account>:policy<path><name>`, whose one
 * version `v1` is its default. Names are unique regardless of case and path.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
 */
export const createPolicy = defineIamOperation('CreatePolicy', async (input, { services }) => {
  refuseUnkept(input);
  const path = input.Path ?? '/';
  const policy: IamPolicyRecord = {
    name: input.PolicyName,
    path,
    id: newIamId('ANPA'),
    arn: `arn:aws:iam::${services.config.accountId}:policy${path}${input.PolicyName}`,
    document: checkedDocument(input.PolicyDocument, 'permissions'),
    description: input.Description,
    createdAt: services.clock.now(),
  };
  if (!(await services.store.iam.createPolicy(policy))) {
    throw new EntityAlreadyExistsException(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
  }
  return {
    Policy: {
      PolicyName: policy.name,
      PolicyId: policy.id,
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      ...(policy.description !== undefined ? { Description: policy.description } : {}),
      CreateDate: seconds(policy.createdAt),
      UpdateDate: seconds(policy.createdAt),
    },
  };
});
