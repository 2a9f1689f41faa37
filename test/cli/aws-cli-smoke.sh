#!/usr/bin/env bash
# Smoke test of Cognate with the real AWS CLI (v1 or v2): the steps an admin and an app take on a
# fresh pool, each printed under a `== <step>` line followed by the CLI's JSON output.
#
# Against a server you started yourself (`npm start` prints the endpoint and the admin keys):
#
#   ENDPOINT=http://127.0.0.1:9229 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
#     test/cli/aws-cli-smoke.sh
#
# Environment:
#   ENDPOINT                                     Cognate's URL (required), passed as --endpoint-url
#   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY    an admin key pair Cognate knows (required)
#   AWS_DEFAULT_REGION                           default us-east-1
#   SMOKE_ID                                     suffix for the pool, user and email (default: random),
#                                                so repeated runs against one server do not collide
#
# Steps: create-user-pool, create-user-pool-client (ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH),
# admin-create-user, admin-set-user-password --permanent, initiate-auth USER_PASSWORD_AUTH, get-user
# with the access token, list-users --filter 'email ^= "..."'. Exits non-zero at the first failing step
# (the CLI's error is on stderr). test/cli/aws-cli.test.ts runs this script and parses its output.
set -euo pipefail

: "${ENDPOINT:?set ENDPOINT to the Cognate URL, e.g. http://127.0.0.1:9229}"
: "${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID to an admin access key id}"
: "${AWS_SECRET_ACCESS_KEY:?set AWS_SECRET_ACCESS_KEY to the admin secret access key}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
# Keep the CLI from paging (v2) or asking instance metadata for credentials.
export AWS_PAGER=""
export AWS_EC2_METADATA_DISABLED=true

id="${SMOKE_ID:-$(date +%s)$RANDOM}"
username="smoke-user-$id"
email="smoke-$id@example.com"
password='Smoke-Passw0rd-1'

idp() { aws cognito-idp --endpoint-url "$ENDPOINT" --output json "$@"; }

# Reads one field of the JSON on stdin by a dotted path (node is always there: Cognate runs on it).
field() {
  node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
      let value = JSON.parse(text);
      for (const key of process.argv[1].split(".")) value = value == null ? undefined : value[key];
      if (value === undefined || value === null) { console.error("missing " + process.argv[1]); process.exit(1); }
      process.stdout.write(String(value));
    });' "$1"
}

step() {
  local name="$1"
  shift
  printf '== %s\n' "$name"
  local out
  out="$("$@")"
  # A call with an empty result prints nothing; keep every section valid JSON.
  LAST="${out:-$EMPTY_JSON}"
  printf '%s\n' "$LAST"
}
EMPTY_JSON='{}'

step create-user-pool idp create-user-pool --pool-name "smoke-$id"
pool_id="$(printf '%s' "$LAST" | field UserPool.Id)"

step create-user-pool-client idp create-user-pool-client --user-pool-id "$pool_id" --client-name "smoke-$id" \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH
client_id="$(printf '%s' "$LAST" | field UserPoolClient.ClientId)"

step admin-create-user idp admin-create-user --user-pool-id "$pool_id" --username "$username" \
  --user-attributes Name=email,Value="$email" Name=email_verified,Value=true --message-action SUPPRESS

step admin-set-user-password idp admin-set-user-password --user-pool-id "$pool_id" --username "$username" \
  --password "$password" --permanent

step initiate-auth idp initiate-auth --client-id "$client_id" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME="$username",PASSWORD="$password"
access_token="$(printf '%s' "$LAST" | field AuthenticationResult.AccessToken)"

step get-user idp get-user --access-token "$access_token"

step list-users idp list-users --user-pool-id "$pool_id" --filter "email ^= \"smoke-$id\""

printf '== done\n{"poolId": "%s", "clientId": "%s", "username": "%s", "email": "%s"}\n' "$pool_id" "$client_id" "$username" "$email"
