import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { HostedResponse } from '../oauth/site.js';
import { CognitoError } from '../errors/cognito-error.js';
import { parseCookies } from '../lib/cookies.js';
import { adminCaller, type AdminCall } from '../api/admin-call.js';
import { cognitoIdentity } from '../api/aws-services.js';
import { csrfToken, csrfValid, type CsrfToken } from '../pages/csrf.js';
import { html } from '../lib/html.js';
import { isError } from '../pages/common.js';
import { consolePage } from './layout.js';
import { CONSOLE_PATH, SESSION_COOKIE, readSession, type ConsoleSession } from './session.js';

/** A console request, read once: who is signed in, the CSRF token, the posted form. */
export interface ConsoleContext {
  services: Services;
  secure: boolean;
  ip: string;
  query: URLSearchParams;
  /** The url-encoded fields of a POST (or the text fields of a multipart one); empty for anything else. */
  form: URLSearchParams;
  /** The files of a multipart POST, by field name. */
  files: ReadonlyMap<string, UploadedFile>;
  cookies: ReadonlyMap<string, string>;
  csrf: CsrfToken;
  session: ConsoleSession | undefined;
}

/** A signed-in request, with the operations it may call (audited under the session's actor). */
export interface AdminContext extends ConsoleContext {
  session: ConsoleSession;
  call: AdminCall;
  /** The same for Cognito Identity's operations (identity pools and their roles). */
  callIdentity: AdminCall;
}

/** The CSRF token's cookie is scoped to the console, apart from the managed login's. */
export function csrfScope(ctx: Pick<ConsoleContext, 'secure'>): { secure: boolean; cookiePath: string } {
  return { secure: ctx.secure, cookiePath: CONSOLE_PATH };
}

/** A file of a multipart form. */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A multipart body as the console's parser leaves it (see routes.ts). */
export interface MultipartBody {
  fields: URLSearchParams;
  files: Map<string, UploadedFile>;
}

/**
 * The fields and files of a multipart/form-data body, read with the platform's own parser; a body
 * it cannot read is an empty form (which then fails the CSRF check).
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<MultipartBody> {
  const fields = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { fields, files };
  }
  for (const [name, value] of data) {
    if (typeof value === 'string') fields.append(name, value);
    else if (value.size > 0) files.set(name, { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

function isMultipart(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && (body as Partial<MultipartBody>).fields instanceof URLSearchParams;
}

export function readContext(services: Services, request: FastifyRequest): ConsoleContext {
  const url = request.url;
  const q = url.indexOf('?');
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const body = typeof request.body === 'string' ? request.body : '';
  const cookies = parseCookies(request.headers.cookie);
  const secure = request.protocol === 'https';
  return {
    services,
    secure,
    ip: request.ip,
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    form:
      request.method !== 'POST'
        ? new URLSearchParams()
        : isMultipart(request.body)
          ? request.body.fields
          : type === 'application/x-www-form-urlencoded'
            ? new URLSearchParams(body)
            : new URLSearchParams(),
    files: request.method === 'POST' && isMultipart(request.body) ? request.body.files : new Map(),
    cookies,
    csrf: csrfToken({ secure, cookiePath: CONSOLE_PATH }, { cookies }),
    session: readSession(services, cookies.get(SESSION_COOKIE)),
  };
}

/** Whether a POST carries the CSRF token of its cookie. */
export function csrfPassed(ctx: ConsoleContext): boolean {
  return csrfValid(csrfScope(ctx), ctx, ctx.form);
}

/** The signed-in context, with its in-process operation caller. */
export function adminContext(ctx: ConsoleContext & { session: ConsoleSession }): AdminContext {
  return {
    ...ctx,
    call: adminCaller(ctx.services, ctx.session.actor, ctx.ip),
    callIdentity: adminCaller(ctx.services, ctx.session.actor, ctx.ip, cognitoIdentity),
  };
}

/** A 303 to a console path (after a form post, so that reloading does not post again). */
export function seeOther(location: string, cookies: readonly string[] = []): HostedResponse {
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
  };
}

/** The answer to a POST without the right CSRF token: 403 and no action. */
export function forbidden(ctx: ConsoleContext): HostedResponse {
  return consolePage({
    title: 'Request refused',
    status: 403,
    signOutToken: ctx.session ? ctx.csrf.token : undefined,
    body: html`<section>
      <h1>This form has expired</h1>
      <p class="error" role="alert">The request could not be verified. Go back, reload the page and try again.</p>
    </section>`,
  });
}

/** A 404 page for what the address names but the operation could not find, with its message and the way back. */
export function missingPage(ctx: AdminContext, heading: string, error: unknown, back: { href: string; label: string }): HostedResponse {
  return consolePage({
    title: heading,
    status: 404,
    signOutToken: ctx.csrf.token,
    body: html`<section>
      <h1>${heading}</h1>
      <p class="error" role="alert">${refusal(error)}</p>
      <p><a href="${back.href}">${back.label}</a></p>
    </section>`,
  });
}

/** Whether an operation's error means what the page's address names does not exist (or is no valid name). */
export function isMissing(error: unknown): boolean {
  return (
    isError(error, 'ResourceNotFoundException') || isError(error, 'InvalidParameterException') || isError(error, 'UserNotFoundException')
  );
}

/** What an operation refused, in its own words, for beside the form; other errors are not the user's and propagate. */
export function refusal(error: unknown): string {
  if (error instanceof CognitoError) return `${error.message} (${error.type})`;
  throw error;
}

/** A form value; '' when absent. */
export function field(ctx: ConsoleContext, name: string): string {
  return ctx.form.get(name) ?? '';
}

/** The console path of a pool's page. */
export function poolPath(poolId: string): string {
  return `${CONSOLE_PATH}/pools/${encodeURIComponent(poolId)}`;
}

/** The console path of a user's page in a pool. */
export function userPath(poolId: string, username: string): string {
  return `${poolPath(poolId)}/users/${encodeURIComponent(username)}`;
}

/** The console path of a group's page in a pool. */
export function groupPath(poolId: string, groupName: string): string {
  return `${poolPath(poolId)}/groups/${encodeURIComponent(groupName)}`;
}
