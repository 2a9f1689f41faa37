import { CognitoError, ExpiredSecurityTokenException, SerializationException } from '../errors/cognito-error.js';
import type { Services } from '../services.js';
import { awsServices, type AwsService, type RestBinding } from './aws-services.js';
import { encode, parseBody, runServiceOperation, type ApiRequest, type ApiResponse } from './dispatch.js';

/** The media type of restJson1 answers. */
const JSON_TYPE = 'application/json';

/**
 * Signature faults are 403 on a restJson1 service, where the awsJson1_1 ones answer 400; the names
 * stay, as the SDK reads them from `x-amzn-ErrorType`.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/CommonErrors.html
 */
const FORBIDDEN = new Set([
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
]);

/** A restJson1 error: the type in `x-amzn-ErrorType` (the dispatcher's caller writes it) and `{"message"}`. */
function restError(error: CognitoError, operation?: string): ApiResponse {
  const forbidden = FORBIDDEN.has(error.type) || error instanceof ExpiredSecurityTokenException;
  return {
    status: forbidden ? 403 : error.status,
    body: JSON.stringify({ message: error.message }),
    contentType: JSON_TYPE,
    errorType: error.type,
    ...(operation ? { operation } : {}),
  };
}

/** One operation's path template as a matcher: literal segments, and `{Label}`s of one segment each. */
interface Route {
  readonly service: AwsService;
  readonly name: string;
  readonly binding: RestBinding;
  readonly segments: readonly string[];
}

const ROUTES: readonly Route[] = awsServices
  .filter((service) => service.protocol === 'restJson1')
  .flatMap((service) =>
    Object.entries(service.operations).map(([name, model]) => ({
      service,
      name,
      binding: model.http!,
      segments: model.http!.uri.split('?')[0]!.split('/').slice(1),
    })),
  );

/** The path's segments, decoded; undefined when one is not valid percent-encoding. */
function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The labels' values when `segments` fit the route's template. */
function matchRoute(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [i, part] of route.segments.entries()) {
    const label = /^\{(\w+)\}$/.exec(part)?.[1];
    if (label !== undefined) labels[label] = segments[i]!;
    else if (part !== segments[i]) return undefined;
  }
  return labels;
}

/** The restJson1 operation a method and path (without its query string) address, by name. */
export function restJsonOperation(method: string, pathname: string): string | undefined {
  const segments = pathSegments(pathname);
  return segments && ROUTES.find((route) => route.binding.method === method && matchRoute(route, segments))?.name;
}

/** A query-string or header value as its member's shape reads it: integers for `Long` and `IntegerString`. */
function scalar(service: AwsService, shapeName: string, raw: string): unknown {
  const shape = service.shapes[shapeName];
  if (shape?.type !== 'integer') return raw;
  if (!/^-?\d+$/.test(raw)) throw new SerializationException(`Value '${raw}' could not be read as a number.`);
  return Number(raw);
}

/**
 * The operation's input: the JSON body's members, then the path labels, query-string parameters
 * and headers the binding places, by their wire names. Only members the model has are read.
 */
function decodeInput(route: Route, labels: Record<string, string>, query: URLSearchParams, req: ApiRequest): unknown {
  const { service, binding, name } = route;
  const model = service.operations[name]!;
  const body = parseBody(req.body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SerializationException('Start of structure or map found where not expected.');
  }
  const input = body as Record<string, unknown>;
  const inputShape = model.input ? service.shapes[model.input] : undefined;
  const members = inputShape?.type === 'structure' ? inputShape.members : {};
  for (const [member, place] of Object.entries(binding.members)) {
    delete input[member];
    const raw =
      place.location === 'uri'
        ? labels[place.name]
        : place.location === 'querystring'
          ? (query.get(place.name) ?? undefined)
          : headerValue(req, place.name.toLowerCase());
    if (raw !== undefined) input[member] = scalar(service, members[member]!, raw);
  }
  return input;
}

function headerValue(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The framework-free entry of the restJson1 APIs (Cognito Sync): method and path → operation (its
 * template in the model), input from the path, query string, headers and JSON body, run by
 * `runServiceOperation`, answered as JSON. A path no operation has with this method is
 * UnknownOperationException.
 */
export async function dispatchRestJson(services: Services, req: ApiRequest): Promise<ApiResponse> {
  const q = req.path.indexOf('?');
  const pathname = q === -1 ? req.path : req.path.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : req.path.slice(q + 1));
  const segments = pathSegments(pathname) ?? [];
  for (const route of ROUTES) {
    if (route.binding.method !== req.method) continue;
    const labels = matchRoute(route, segments);
    if (!labels) continue;
    const outcome = await runServiceOperation(services, route.service, route.name, req, () => decodeInput(route, labels, query, req));
    if (!outcome.ok) return restError(outcome.error, route.name);
    return { status: 200, body: encode(outcome.output), contentType: JSON_TYPE, operation: route.name };
  }
  const service = ROUTES[0]!.service;
  return restError(service.errors.unknownOperation(`${req.method} ${pathname}`));
}
