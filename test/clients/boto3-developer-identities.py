"""boto3's Cognito Identity client and developer-authenticated identities: the backend's own users
get identities and OpenID tokens (SigV4, as on AWS), are looked up, merged and unlinked, and a
provider's principal tag map is set and read. Prints one JSON object.

Reads ENDPOINT and the usual AWS_* variables; test/clients/boto3.test.ts runs it.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ['ENDPOINT']
identity = boto3.client('cognito-identity', endpoint_url=endpoint, region_name='us-east-1')

developer = 'login.boto3.app'
pool = identity.create_identity_pool(
    IdentityPoolName='boto3 developer', AllowUnauthenticatedIdentities=False, DeveloperProviderName=developer,
    SupportedLoginProviders={'accounts.google.com': 'google-client'},
)['IdentityPoolId']
ann = identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={developer: 'ann'}, TokenDuration=120)
ben = identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={developer: 'ben'})
merged = identity.merge_developer_identities(
    SourceUserIdentifier='ben', DestinationUserIdentifier='ann', DeveloperProviderName=developer, IdentityPoolId=pool,
)
looked_up = identity.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier='ben', MaxResults=10)
identity.unlink_developer_identity(
    IdentityId=ann['IdentityId'], IdentityPoolId=pool, DeveloperProviderName=developer, DeveloperUserIdentifier='ben',
)
after_unlink = identity.lookup_developer_identity(IdentityPoolId=pool, IdentityId=ann['IdentityId'])
try:
    identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={'login.other.app': 'ann'})
    refused = None
except ClientError as error:
    refused = {'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}
tags_set = identity.set_principal_tag_attribute_map(
    IdentityPoolId=pool, IdentityProviderName='accounts.google.com', UseDefaults=True, PrincipalTags={'mail': 'email'},
)
tags = identity.get_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName='accounts.google.com')
print(json.dumps({
    'ann': ann['IdentityId'],
    'ben': ben['IdentityId'],
    'tokenParts': len(ann['Token'].split('.')),
    'merged': merged['IdentityId'],
    'lookedUp': {'id': looked_up['IdentityId'], 'users': looked_up['DeveloperUserIdentifierList']},
    'afterUnlink': after_unlink['DeveloperUserIdentifierList'],
    'refused': refused,
    'tagsSet': {key: tags_set[key] for key in ('IdentityProviderName', 'UseDefaults', 'PrincipalTags')},
    'tags': {key: tags[key] for key in ('IdentityProviderName', 'UseDefaults', 'PrincipalTags')},
}))
