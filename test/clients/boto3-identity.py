"""boto3's Cognito Identity and STS clients against Cognate: an identity pool's whole life, the
error of a pool that is gone, and who the admin key pair is. Prints one JSON object.

Reads ENDPOINT and the usual AWS_* variables; test/clients/boto3.test.ts runs it.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

identity = boto3.client('cognito-identity', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
sts = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')

created = identity.create_identity_pool(
    IdentityPoolName='boto3 pool',
    AllowUnauthenticatedIdentities=True,
    CognitoIdentityProviders=[{'ProviderName': 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123', 'ClientId': 'web'}],
)
pool = created['IdentityPoolId']
identity.update_identity_pool(IdentityPoolId=pool, IdentityPoolName='boto3 renamed', AllowUnauthenticatedIdentities=False)
described = identity.describe_identity_pool(IdentityPoolId=pool)
listed = [p['IdentityPoolName'] for p in identity.list_identity_pools(MaxResults=60)['IdentityPools'] if p['IdentityPoolId'] == pool]
identity.delete_identity_pool(IdentityPoolId=pool)
try:
    identity.describe_identity_pool(IdentityPoolId=pool)
    gone = None
except ClientError as error:
    gone = {
        'code': error.response['Error']['Code'],
        'message': error.response['Error']['Message'],
        'status': error.response['ResponseMetadata']['HTTPStatusCode'],
    }
caller = sts.get_caller_identity()
print(json.dumps({
    'pool': pool,
    # The update left the providers out, so they are reset, as on AWS.
    'described': {k: described[k] for k in ('IdentityPoolName', 'AllowUnauthenticatedIdentities', 'CognitoIdentityProviders') if k in described},
    'listed': listed,
    'gone': gone,
    'caller': {k: caller[k] for k in ('UserId', 'Account', 'Arn')},
}))
