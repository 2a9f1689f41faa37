"""boto3 against Cognate: the README's steps, then one refused sign-in. Prints one JSON object.

Reads ENDPOINT and the usual AWS_* variables; test/clients/boto3.test.ts runs it.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

idp = boto3.client('cognito-idp', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
pool = idp.create_user_pool(PoolName='boto3')['UserPool']['Id']
client = idp.create_user_pool_client(
    UserPoolId=pool,
    ClientName='web',
    ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
)['UserPoolClient']['ClientId']
idp.admin_create_user(
    UserPoolId=pool,
    Username='alice',
    UserAttributes=[{'Name': 'email', 'Value': 'alice@example.com'}, {'Name': 'email_verified', 'Value': 'true'}],
    MessageAction='SUPPRESS',
)
idp.admin_set_user_password(UserPoolId=pool, Username='alice', Password='Correct-Horse-9', Permanent=True)
signed_in = idp.initiate_auth(
    ClientId=client, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': 'Correct-Horse-9'}
)
user = idp.get_user(AccessToken=signed_in['AuthenticationResult']['AccessToken'])
try:
    idp.initiate_auth(
        ClientId=client, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': 'Wrong-Horse-9'}
    )
    refused = None
except ClientError as error:
    refused = {
        'code': error.response['Error']['Code'],
        'message': error.response['Error']['Message'],
        'status': error.response['ResponseMetadata']['HTTPStatusCode'],
    }
print(json.dumps({
    'pool': pool,
    'tokenType': signed_in['AuthenticationResult']['TokenType'],
    'username': user['Username'],
    'attributes': {a['Name']: a['Value'] for a in user['UserAttributes']},
    'refused': refused,
}))
