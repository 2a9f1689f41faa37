/**
 * The API gateway's rules: what an API definition may say, which route a request takes, and the
 * `execute-api` ARN IAM policies are evaluated against. Route patterns follow API Gateway's REST
 * resources: literal segments, `{name}` for one segment and a last `{proxy+}` for one or more.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */

/** How a route checks its caller, as API Gateway's method `authorizationType`. */
export type GatewayAuthorizer =
  | { readonly type: 'NONE' }
  | { readonly type: 'AWS_IAM' }
  | {
      readonly type: 'COGNITO_USER_POOLS';
      /** The user pools whose ID or access tokens are accepted. */
      readonly userPoolIds: readonly string[];
      /** When present, an access token with at least one of them is required (API Gateway's `authorizationScopes`). */
      readonly scopes: readonly string[];
    };

export const GATEWAY_METHODS = ['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type GatewayMethod = (typeof GATEWAY_METHODS)[number];

type Segment = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'param' | 'greedy'; readonly name: string };

export interface GatewayRoute {
  readonly method: GatewayMethod;
  /** As written: `/items/{id}`, `/{proxy+}`. */
  readonly path: string;
  readonly authorizer: GatewayAuthorizer;
  readonly segments: readonly Segment[];
}

/**
 * Cross-origin access for browser apps, as an HTTP API's `CorsConfiguration`: which origins may call
 * (`*` for any), with which methods and request headers (`*` for any), which answer headers they
 * may read, how long a preflight is cached, and whether cookies and Authorization are sent along.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
export interface GatewayCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  /** Seconds; undefined leaves the browser's own default. */
  readonly maxAge: number | undefined;
  readonly allowCredentials: boolean;
}

export interface GatewayApi {
  /** Lower-case letters, digits and hyphens: it is a DNS label in `<id>.execute-api.<domain>`. */
  readonly id: string;
  /** Where requests go: its path is prefixed to the route's path. */
  readonly upstream: string;
  readonly stages: readonly string[];
  readonly routes: readonly GatewayRoute[];
  /** When set, the gateway answers preflights itself and adds CORS headers to every answer. */
  readonly cors?: GatewayCors;
}

const API_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const PARAM = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;
const LITERAL = /^[A-Za-z0-9._~!$&'()*,;=:@-]+$/;

/** A definition that cannot be used, with where in it (`apis[0].routes[1].path`). */
export class GatewayDefinitionError extends Error {}

function fail(where: string, message: string): never {
  throw new GatewayDefinitionError(`${where}: ${message}`);
}

function record(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected an object');
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(where, `unknown member "${key}"`);
  return value as Record<string, unknown>;
}

function strings(value: unknown, where: string, pattern: RegExp, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0) fail(where, 'expected a non-empty list');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) fail(`${where}[${i}]`, `expected ${what}`);
    return item;
  });
}

/** A route's path pattern as segments; `{proxy+}` only last, no two parameters of one name. */
function parsePath(path: unknown, where: string): Segment[] {
  if (typeof path !== 'string' || !path.startsWith('/')) fail(where, 'expected a path starting with /');
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  const names = new Set<string>();
  return parts.map((part, i) => {
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1]!;
      if (names.has(name)) fail(where, `the parameter {${name}} appears twice`);
      names.add(name);
      if (param[2] === '+' && i !== parts.length - 1) fail(where, `{${name}+} must be the last segment`);
      return { kind: param[2] === '+' ? 'greedy' : 'param', name };
    }
    if (!LITERAL.test(part)) fail(where, `"${part}" is not a path segment or a {parameter}`);
    return { kind: 'literal', text: part };
  });
}

function parseAuthorizer(value: unknown, where: string): GatewayAuthorizer {
  const members = record(value, where, ['type', 'userPoolIds', 'scopes']);
  switch (members['type']) {
    case 'NONE':
    case 'AWS_IAM':
      if (members['userPoolIds'] !== undefined || members['scopes'] !== undefined) {
        fail(where, `userPoolIds and scopes belong to COGNITO_USER_POOLS, not ${members['type']}`);
      }
      return { type: members['type'] };
    case 'COGNITO_USER_POOLS':
      return {
        type: 'COGNITO_USER_POOLS',
        userPoolIds: strings(members['userPoolIds'], `${where}.userPoolIds`, POOL_ID, 'a user pool ID like us-east-1_abc123'),
        scopes: members['scopes'] === undefined ? [] : strings(members['scopes'], `${where}.scopes`, /^\S{1,256}$/, 'a scope'),
      };
    default:
      return fail(`${where}.type`, 'expected COGNITO_USER_POOLS, AWS_IAM or NONE');
  }
}

function parseRoute(value: unknown, where: string): GatewayRoute {
  const members = record(value, where, ['method', 'path', 'authorizer']);
  const method = members['method'];
  if (typeof method !== 'string' || !(GATEWAY_METHODS as readonly string[]).includes(method)) {
    fail(`${where}.method`, `expected one of ${GATEWAY_METHODS.join(', ')}`);
  }
  const path = members['path'] as string;
  const segments = parsePath(path, `${where}.path`);
  return { method: method as GatewayMethod, path, segments, authorizer: parseAuthorizer(members['authorizer'], `${where}.authorizer`) };
}

const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;
const HEADER_NAME = /^(\*|[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256})$/;

function optionalStrings(value: unknown, where: string, pattern: RegExp, what: string): string[] {
  return value === undefined ? [] : strings(value, where, pattern, what);
}

function parseCors(value: unknown, where: string): GatewayCors {
  const members = record(value, where, ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'allowCredentials']);
  const allowOrigins = strings(members['allowOrigins'], `${where}.allowOrigins`, ORIGIN, 'an origin like https://app.example.com, or *');
  const methods = new RegExp(`^(\\*|${GATEWAY_METHODS.filter((m) => m !== 'ANY').join('|')})$`);
  const allowMethods = optionalStrings(members['allowMethods'], `${where}.allowMethods`, methods, 'an HTTP method, or *');
  const allowHeaders = optionalStrings(members['allowHeaders'], `${where}.allowHeaders`, HEADER_NAME, 'a header name, or *');
  const exposeHeaders = optionalStrings(members['exposeHeaders'], `${where}.exposeHeaders`, HEADER_NAME, 'a header name, or *');
  const maxAge = members['maxAge'];
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || (maxAge as number) < 0 || (maxAge as number) > 86_400)) {
    fail(`${where}.maxAge`, 'expected whole seconds from 0 to 86400');
  }
  const allowCredentials = members['allowCredentials'] ?? false;
  if (typeof allowCredentials !== 'boolean') fail(`${where}.allowCredentials`, 'expected true or false');
  // Browsers refuse a credentialed answer for any origin; API Gateway refuses the definition.
  if (allowCredentials && allowOrigins.includes('*')) fail(`${where}.allowCredentials`, 'cannot be true when allowOrigins has *');
  return { allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge: maxAge as number | undefined, allowCredentials };
}

/**
 * The CORS headers of an answer to `origin` (the request's Origin header), or none when the API has
 * no CORS or the origin is not allowed. A preflight (`requested` holds its
 * Access-Control-Request-Method and -Headers) also gets the methods, headers and max age; other
 * answers the exposed headers. `*` in methods or headers answers what was asked for, which holds
 * with credentials too.
 */
export function corsHeaders(
  cors: GatewayCors | undefined,
  origin: string | undefined,
  requested?: { method: string; headers: string | undefined },
): Record<string, string> {
  if (!cors || origin === undefined) return {};
  const any = cors.allowOrigins.includes('*');
  if (!any && !cors.allowOrigins.includes(origin)) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : origin,
    ...(any ? {} : { vary: 'Origin' }),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
  };
  if (!requested) {
    if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    return headers;
  }
  const methods = cors.allowMethods.includes('*') ? [requested.method] : cors.allowMethods;
  if (methods.length > 0) headers['access-control-allow-methods'] = methods.join(',');
  const asked = requested.headers?.trim();
  const allowed = cors.allowHeaders.includes('*') ? (asked ? [asked] : []) : cors.allowHeaders;
  if (allowed.length > 0) headers['access-control-allow-headers'] = allowed.join(',');
  if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
  return headers;
}

/** One API definition, checked whole; `where` names it in errors. */
export function parseGatewayApi(value: unknown, where: string): GatewayApi {
  const members = record(value, where, ['id', 'upstream', 'stages', 'routes', 'cors']);
  const id = members['id'];
  if (typeof id !== 'string' || !API_ID.test(id)) fail(`${where}.id`, 'expected lower-case letters, digits and hyphens (a DNS label)');
  const upstream = members['upstream'];
  let url: URL | undefined;
  try {
    url = typeof upstream === 'string' ? new URL(upstream) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    fail(`${where}.upstream`, 'expected an http:// or https:// URL without a query');
  }
  const stages = strings(members['stages'], `${where}.stages`, STAGE, 'a stage name of letters, digits, _ and -');
  if (!Array.isArray(members['routes']) || members['routes'].length === 0) fail(`${where}.routes`, 'expected a non-empty list');
  const routes = (members['routes'] as unknown[]).map((route, i) => parseRoute(route, `${where}.routes[${i}]`));
  const seen = new Set<string>();
  routes.forEach((route, i) => {
    // Two patterns that differ only in their parameters' names match the same requests.
    const key = `${route.method} ${route.segments.map((s) => (s.kind === 'literal' ? s.text : s.kind)).join('/')}`;
    if (seen.has(key)) fail(`${where}.routes[${i}]`, `${route.method} ${route.path} repeats an earlier route`);
    seen.add(key);
  });
  const cors = members['cors'] === undefined ? undefined : parseCors(members['cors'], `${where}.cors`);
  return { id, upstream: (upstream as string).replace(/\/+$/, ''), stages, routes, ...(cors ? { cors } : {}) };
}

/** The `gatewayApis` setting: a list of API definitions with distinct ids. */
export function parseGatewayApis(value: unknown): GatewayApi[] {
  if (!Array.isArray(value)) fail('gatewayApis', 'expected a list of APIs');
  const apis = value.map((api, i) => parseGatewayApi(api, `[${i}]`));
  const ids = new Set<string>();
  apis.forEach((api, i) => {
    if (ids.has(api.id)) fail(`[${i}].id`, `the API id ${api.id} is used twice`);
    ids.add(api.id);
  });
  return apis;
}

/** A route a request takes, with its path parameters (`proxy` holds the greedy part, slashes included). */
export interface RouteMatch {
  readonly route: GatewayRoute;
  readonly params: Readonly<Record<string, string>>;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'greedy') {
      params[segment.name] = parts.slice(i).join('/');
      return parts.slice(i).includes('') ? undefined : params;
    }
    if (segment.kind === 'literal' && segment.text !== part) return undefined;
    if (segment.kind === 'param') params[segment.name] = part;
  }
  return parts.length === segments.length ? params : undefined;
}

/** Literal segments before parameters before a greedy one, as API Gateway picks the most specific resource. */
function rank(segment: Segment | undefined): number {
  if (segment === undefined) return 3;
  return segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2;
}

function moreSpecific(a: GatewayRoute, b: GatewayRoute): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  // A method of its own wins over ANY on the same resource.
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/**
 * The route of `api` that `method` and `path` (after the stage, starting with `/`, not decoded)
 * take: the most specific resource that matches, then its own method before ANY. HEAD falls back
 * to a GET route, as API Gateway's does not, but Node's HTTP clients send it for GET's headers.
 */
export function matchRoute(api: GatewayApi, method: string, path: string): RouteMatch | undefined {
  const parts = path === '/' || path === '' ? [] : path.slice(1).split('/');
  const candidates = api.routes
    .filter((route) => route.method === 'ANY' || route.method === method || (method === 'HEAD' && route.method === 'GET'))
    .map((route) => ({ route, params: matchSegments(route.segments, parts) }))
    .filter((found): found is RouteMatch => found.params !== undefined)
    .sort((a, b) => moreSpecific(a.route, b.route));
  return candidates[0];
}

/**
 * The resource IAM evaluates `execute-api:Invoke` against:
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path without its leading slash>`.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function executeApiArn(region: string, accountId: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}
