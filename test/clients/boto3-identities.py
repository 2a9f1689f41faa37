"""boto3's Cognito Identity client and the identities of an identity pool: a user pool user's ID
token exchanged for an identity ID (unsigned, as apps call GetId), the same ID again, an OpenID
token, the identity described and listed, a guest, and their deletion. Prints one JSON object.

Reads ENDPOINT and the usual AWS_* variables; test/clients/boto3.test.ts runs it.
"""
import json
import os

import boto3
from botocore import UNSIGNED
from botocore.config import Config

endpoint = os.environ['ENDPOINT']
idp = boto3.client('cognito-idp', endpoint_url=endpoint, region_name='us-east-1')
identity = boto3.client('cognito-identity', endpoint_url=endpoint, region_name='us-east-1')
app = boto3.client('cognito-identity', endpoint_url=endpoint, region_name='us-east-1', config=Config(signature_version=UNSIGNED))

user_pool = idp.create_user_pool(PoolName='boto3 identities')['UserPool']['Id']
client = idp.create_user_pool_client(UserPoolId=user_pool, ClientName='app', ExplicitAuthFlows=['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
client_id = client['UserPoolClient']['ClientId']
idp.admin_create_user(UserPoolId=user_pool, Username='alice', MessageAction='SUPPRESS')
idp.admin_set_user_password(UserPoolId=user_pool, Username='alice', Password='Correct-Horse-9', Permanent=True)
id_token = idp.admin_initiate_auth(
    UserPoolId=user_pool, ClientId=client_id, AuthFlow='ADMIN_USER_PASSWORD_AUTH',
    AuthParameters={'USERNAME': 'alice', 'PASSWORD': 'Correct-Horse-9'},
)['AuthenticationResult']['IdToken']

provider = f'cognito-idp.us-east-1.amazonaws.com/{user_pool}'
pool = identity.create_identity_pool(
    IdentityPoolName='boto3 identities', AllowUnauthenticatedIdentities=True,
    CognitoIdentityProviders=[{'ProviderName': provider, 'ClientId': client_id}],
)['IdentityPoolId']
logins = {provider: id_token}
first = app.get_id(IdentityPoolId=pool, Logins=logins)['IdentityId']
again = app.get_id(IdentityPoolId=pool, Logins=logins)['IdentityId']
token = app.get_open_id_token(IdentityId=first, Logins=logins)
described = identity.describe_identity(IdentityId=first)
guest = app.get_id(IdentityPoolId=pool)['IdentityId']
listed = identity.list_identities(IdentityPoolId=pool, MaxResults=10)
deleted = identity.delete_identities(IdentityIdsToDelete=[first, guest])
after = identity.list_identities(IdentityPoolId=pool, MaxResults=10)
print(json.dumps({
    'provider': provider,
    'first': first,
    'again': again,
    'tokenFor': token['IdentityId'],
    'tokenParts': len(token['Token'].split('.')),
    'describedLogins': described['Logins'],
    'createdIsDate': hasattr(described['CreationDate'], 'isoformat'),
    'guest': guest,
    'listed': sorted(i['IdentityId'] for i in listed['Identities']),
    'unprocessed': deleted['UnprocessedIdentityIds'],
    'after': after['Identities'],
}))
