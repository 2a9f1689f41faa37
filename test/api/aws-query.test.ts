import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xmlResult } from '../../src/api/aws-query.js';
import { stsService } from '../../src/api/aws-services.js';

test("an awsQuery answer is the output in its result wrapper, members in the model's order, timestamps in ISO 8601 whole seconds, text escaped", () => {
  const output = {
    // Members out of the model's order, and one that is absent: the answer follows the model.
    AssumedRoleUser: { Arn: 'arn:aws:sts::000000000000:assumed-role/app/s', AssumedRoleId: 'AROA:s' },
    Credentials: { Expiration: 1_767_225_600, SessionToken: 'a<b&c>', SecretAccessKey: 'secret', AccessKeyId: 'ASIAEXAMPLE' },
    PackedPolicySize: 0,
    Provider: undefined,
    Audience: 'us-east-1:pool',
  };
  assert.equal(
    xmlResult(stsService, 'AssumeRoleWithWebIdentity', output, 'req-1'),
    '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>' +
      '<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>' +
      '<SessionToken>a&lt;b&amp;c&gt;</SessionToken><Expiration>2026-01-01T00:00:00Z</Expiration></Credentials>' +
      '<AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::000000000000:assumed-role/app/s</Arn></AssumedRoleUser>' +
      '<PackedPolicySize>0</PackedPolicySize><Audience>us-east-1:pool</Audience>' +
      '</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>',
  );
});
