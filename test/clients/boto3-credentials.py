"""boto3 and identity pool credentials: the pool's roles set and read back with the cognito-identity
client, credentials of a guest from GetCredentialsForIdentity (unsigned), an OpenID token
exchanged with STS AssumeRoleWithWebIdentity, and the sts client signing with each set of
credentials (botocore's SigV4 with X-Amz-Security-Token) to ask who it is. Prints one JSON object.

Reads ENDPOINT and the usual AWS_* variables; test/clients/boto3.test.ts runs it.
"""
import json
import os

import boto3
from botocore import UNSIGNED
from botocore.config import Config

endpoint = os.environ['ENDPOINT']
unsigned = Config(signature_version=UNSIGNED)
identity = boto3.client('cognito-identity', endpoint_url=endpoint, region_name='us-east-1')
app = boto3.client('cognito-identity', endpoint_url=endpoint, region_name='us-east-1', config=unsigned)
web_sts = boto3.client('sts', endpoint_url=endpoint, region_name='us-east-1', config=unsigned)

guest_role = 'arn:aws:iam::000000000000:role/boto3-guest'
pool = identity.create_identity_pool(IdentityPoolName='boto3 credentials', AllowUnauthenticatedIdentities=True)['IdentityPoolId']
identity.set_identity_pool_roles(IdentityPoolId=pool, Roles={'unauthenticated': guest_role})
roles = identity.get_identity_pool_roles(IdentityPoolId=pool)

guest = app.get_id(IdentityPoolId=pool)['IdentityId']
credentials = app.get_credentials_for_identity(IdentityId=guest)['Credentials']


def caller(access_key, secret, token):
    sts = boto3.client(
        'sts', endpoint_url=endpoint, region_name='us-east-1',
        aws_access_key_id=access_key, aws_secret_access_key=secret, aws_session_token=token,
    )
    return sts.get_caller_identity()['Arn']


open_id = app.get_open_id_token(IdentityId=guest)['Token']
assumed = web_sts.assume_role_with_web_identity(
    RoleArn=guest_role, RoleSessionName='boto3-session', WebIdentityToken=open_id, DurationSeconds=900,
)
print(json.dumps({
    'roles': roles['Roles'],
    'keyId': credentials['AccessKeyId'],
    'expirationIsDate': hasattr(credentials['Expiration'], 'isoformat'),
    'cognitoCaller': caller(credentials['AccessKeyId'], credentials['SecretKey'], credentials['SessionToken']),
    'assumedUser': assumed['AssumedRoleUser']['Arn'],
    'subject': assumed['SubjectFromWebIdentityToken'] == guest,
    'webCaller': caller(
        assumed['Credentials']['AccessKeyId'], assumed['Credentials']['SecretAccessKey'], assumed['Credentials']['SessionToken'],
    ),
}))
