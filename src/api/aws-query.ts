import { CognitoError, ExpiredSecurityTokenException } from '../errors/cognito-error.js';
import type { ShapeSchema } from './schema-types.js';
import { queryService, type AwsService } from './aws-services.js';
import { runServiceOperation, type ApiRequest, type ApiResponse } from './dispatch.js';
import type { Services } from '../services.js';

/** Escapes XML text content; quotes stay as they are, as AWS writes them. */
function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** The media type of awsQuery answers. */
const XML = 'text/xml';

/**
 * The query services' common answers to a request whose SigV4 fails, in place of the awsJson1_1
 * names src/api/sigv4.ts throws: STS says `InvalidClientTokenId` where Cognito says
 * `UnrecognizedClientException`, and answers 403 where Cognito answers 400.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 */
const SIGNATURE_ERRORS: Readonly<Record<string, { code: string; status: number }>> = {
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
};

/** A form member that is not the kind of value its shape is (Cognate's code and words: AWS's are not published). */
class MalformedQueryValue extends CognitoError {
  constructor(path: string, value: string) {
    super('MalformedInput', 400, `Value '${value}' at '${path}' could not be read as the type the operation expects.`);
  }
}

/** The signing name of a request's credential scope (`.../<region>/<service>/aws4_request`), if it is signed. */
function scopedService(req: ApiRequest): string | undefined {
  const authorization = req.headers['authorization'];
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  return /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/.exec(value ?? '')?.[1];
}

/**
 * Reads one member of an awsQuery form by its shape: structures as `Name.Member`, lists as
 * `Name.member.1`, maps as `Name.entry.1.key` / `Name.entry.1.value`. Only names the model has are
 * read, so no form key can reach an object's prototype. Absent members are undefined.
 */
function decodeValue(shapes: Readonly<Record<string, ShapeSchema>>, shapeName: string, form: URLSearchParams, key: string): unknown {
  const shape = shapes[shapeName];
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, memberShape] of Object.entries(shape.members)) {
        const value = decodeValue(shapes, memberShape, form, key === '' ? member : `${key}.${member}`);
        if (value !== undefined) out[member] = value;
      }
      return key === '' || Object.keys(out).length > 0 ? out : undefined;
    }
    case 'list': {
      if (form.get(key) === '') return []; // an empty list is sent as `Name=`
      const items: unknown[] = [];
      for (let i = 1; ; i++) {
        const item = decodeValue(shapes, shape.member, form, `${key}.member.${i}`);
        if (item === undefined) break;
        items.push(item);
      }
      return items.length > 0 ? items : undefined;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (let i = 1; form.has(`${key}.entry.${i}.key`); i++) {
        const name = form.get(`${key}.entry.${i}.key`)!;
        const value = decodeValue(shapes, shape.value, form, `${key}.entry.${i}.value`);
        if (value !== undefined) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    default:
      return decodeScalar(shape, form.get(key), key);
  }
}

function decodeScalar(shape: ShapeSchema, raw: string | null, key: string): unknown {
  if (raw === null) return undefined;
  switch (shape.type) {
    case 'integer':
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || (shape.type === 'integer' && !Number.isInteger(value))) {
        throw new MalformedQueryValue(key, raw);
      }
      return value;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new MalformedQueryValue(key, raw);
      return raw === 'true';
    case 'timestamp': {
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) throw new MalformedQueryValue(key, raw);
      return ms / 1000; // the generated shapes hold timestamps as epoch seconds
    }
    default:
      return raw;
  }
}

/** Writes a value as awsQuery's XML: lists of `<member>`, maps of `<entry><key/><value/></entry>`, ISO 8601 timestamps. */
function encodeValue(shapes: Readonly<Record<string, ShapeSchema>>, shapeName: string, value: unknown): string {
  const shape = shapes[shapeName];
  if (value === undefined || value === null || !shape) return '';
  switch (shape.type) {
    case 'structure': {
      const members = value as Record<string, unknown>;
      return Object.entries(shape.members)
        .filter(([member]) => members[member] !== undefined && members[member] !== null)
        .map(([member, memberShape]) => `<${member}>${encodeValue(shapes, memberShape, members[member])}</${member}>`)
        .join('');
    }
    case 'list':
      return (value as unknown[]).map((item) => `<member>${encodeValue(shapes, shape.member, item)}</member>`).join('');
    case 'map':
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${encodeValue(shapes, shape.value, v)}</value></entry>`)
        .join('');
    case 'timestamp':
      // AWS writes whole seconds without a fraction: 2026-01-01T00:00:00Z.
      return new Date((value as number) * 1000).toISOString().replace('.000Z', 'Z');
    default:
      return escapeXml(String(value));
  }
}

/** `<{Op}Response>` with the output in its result wrapper and the request id, as query services answer. */
export function xmlResult(service: AwsService, name: string, output: unknown, requestId: string): string {
  const model = service.operations[name]!;
  const body = model.output ? encodeValue(service.shapes, model.output, output) : '';
  const result = model.resultWrapper ? `<${model.resultWrapper}>${body}</${model.resultWrapper}>` : '';
  return (
    `<${name}Response xmlns="${service.xmlNamespace ?? ''}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${name}Response>`
  );
}

/**
 * The query services' error document: `Sender` for a client fault, `Receiver` for the service's.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 */
function xmlError(service: AwsService, error: CognitoError, requestId: string, operation?: string): ApiResponse {
  // Not by type: STS's own ExpiredTokenException (an expired web identity token) keeps its name.
  const mapped = error instanceof ExpiredSecurityTokenException ? { code: 'ExpiredToken', status: 403 } : SIGNATURE_ERRORS[error.type];
  const code = mapped?.code ?? error.type;
  const status = mapped?.status ?? error.status;
  const body =
    `<ErrorResponse xmlns="${service.xmlNamespace ?? ''}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { status, body, contentType: XML, errorType: code, ...(operation ? { operation } : {}) };
}

/** True for a request the awsQuery dispatcher should take: a form POST with no `X-Amz-Target`. */
export function isQueryRequest(headers: ApiRequest['headers']): boolean {
  const type = headers['content-type'];
  const value = (Array.isArray(type) ? type[0] : type) ?? '';
  return headers['x-amz-target'] === undefined && value.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The service and operation a query form names; `admin` when the model marks the operation SigV4. */
export function queryOperation(req: Pick<ApiRequest, 'headers' | 'body'>): { service: AwsService; action: string; admin: boolean } {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const service = queryService(form.get('Version') ?? undefined, scopedService(req as ApiRequest));
  const action = form.get('Action') ?? '';
  const model = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
  return { service, action, admin: model?.auth === 'sigv4' };
}

/** A refusal of a query request before it is dispatched, in the addressed service's XML. */
export function queryRefusal(req: Pick<ApiRequest, 'headers' | 'body' | 'requestId'>, error: CognitoError): ApiResponse {
  return xmlError(queryOperation(req).service, error, req.requestId);
}

/**
 * The framework-free entry of the awsQuery APIs (STS): a form `Action=...&Version=...` → service
 * (by the version, else the signing name) → operation, run by `runServiceOperation`, answered as
 * XML; errors in the query services' `<ErrorResponse>`. A form without an Action is
 * `MissingAction`; an Action the service does not have is `InvalidAction`.
 */
export async function dispatchQuery(services: Services, req: ApiRequest): Promise<ApiResponse> {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const { service, action } = queryOperation(req);
  if (action === '') return xmlError(service, new CognitoError('MissingAction', 400, 'Missing Action'), req.requestId);
  if (!Object.hasOwn(service.operations, action)) return xmlError(service, service.errors.unknownOperation(action), req.requestId);
  const model = service.operations[action]!;
  const outcome = await runServiceOperation(services, service, action, req, () =>
    model.input ? decodeValue(service.shapes, model.input, form, '') : {},
  );
  if (!outcome.ok) return xmlError(service, outcome.error, req.requestId, action);
  return { status: 200, body: xmlResult(service, action, outcome.output, req.requestId), contentType: XML, operation: action };
}
