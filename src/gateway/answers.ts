/**
 * API Gateway's own answers (its default gateway responses), which a client of an API behind it
 * already knows how to read. Status codes are those of the gateway response types; the bodies
 * are the texts API Gateway sends with them: `{"message":"Unauthorized"}` (UNAUTHORIZED),
 * `{"message":"Missing Authentication Token"}` (MISSING_AUTHENTICATION_TOKEN, also a path no
 * route takes), `{"message":"Endpoint request timed out"}` (INTEGRATION_TIMEOUT), and for IAM
 * authorization `{"Message":"User: <arn> is not authorized to perform: execute-api:Invoke on
 * resource: <arn>"}` (note the capital M of that one).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html (the IAM refusal's text)
 * @see https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
 */
export interface GatewayAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, string>>;
}

export const MISSING_AUTHENTICATION_TOKEN: GatewayAnswer = { status: 403, body: { message: 'Missing Authentication Token' } };
export const UNAUTHORIZED: GatewayAnswer = { status: 401, body: { message: 'Unauthorized' } };
export const INTEGRATION_TIMEOUT: GatewayAnswer = { status: 504, body: { message: 'Endpoint request timed out' } };
/** An upstream that cannot be reached or answers nothing usable. */
export const BAD_GATEWAY: GatewayAnswer = { status: 502, body: { message: 'Internal server error' } };
export const REQUEST_TOO_LARGE: GatewayAnswer = { status: 413, body: { message: 'Request Too Long' } };

/** A SigV4 problem (bad signature, unknown or expired key), with the text the signature check gives. */
export function signatureRefused(message: string): GatewayAnswer {
  return { status: 403, body: { message } };
}

/** IAM's refusal of `execute-api:Invoke`. */
export function invokeDenied(userArn: string, resourceArn: string): GatewayAnswer {
  return {
    status: 403,
    body: { Message: `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: ${resourceArn}` },
  };
}
