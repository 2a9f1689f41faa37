import type { Services } from '../services.js';
import type { HostedHandler, HostedRequest, HostedResponse, HostedSite } from '../oauth/site.js';
import type { UserPoolClientRecord, UserRecord } from '../store/ports.js';
import type { AuthContext } from '../auth/types.js';
import type { AnyOperation, Input, Operation, Output } from '../api/define-operation.js';
import { invokeOperation } from '../api/invoke.js';
import type { OperationName } from '../generated/cognito-idp/operations.js';
import { operations } from '../generated/cognito-idp/operations.js';
import { shapes } from '../generated/cognito-idp/schema.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import { validateInput, validationMessage } from '../api/validate.js';
import { CognitoError } from '../errors/cognito-error.js';
import { authorizationQuery, completeAuthorization, parseAuthorizationRequest, type AuthorizationRequest } from '../oauth/authorize.js';
import { computeSecretHash } from '../crypto/secret-hash.js';
import { newUuid } from '../lib/ids.js';
import { html, type HtmlValue, type SafeHtml } from '../lib/html.js';
import { brandingFor, type Branding } from './branding.js';
import { CSRF_FIELD, csrfToken, csrfValid, type CsrfToken } from './csrf.js';
import { renderPage } from './layout.js';
import type { FormProblems } from './form-problems.js';

/** Everything a page handler works with once the authorization parameters it carries are valid. */
export interface PageContext {
  services: Services;
  site: HostedSite;
  request: HostedRequest;
  client: UserPoolClientRecord;
  auth: AuthorizationRequest;
  branding: Branding;
  csrf: CsrfToken;
}

/**
 * Opens a page: the authorization parameters in the query are validated again (each page is a
 * direct link Cognito accepts with the same parameters as `/oauth2/authorize`), and the client's
 * branding and the CSRF token are loaded. An invalid request gets the authorization endpoint's own
 * answer (an error page, or an error redirect to a trusted redirect URI).
 */
export async function openPage(
  services: Services,
  site: HostedSite,
  request: HostedRequest,
): Promise<{ ok: true; page: PageContext } | { ok: false; response: HostedResponse }> {
  const parsed = await parseAuthorizationRequest(services, site, request.query);
  if (!parsed.ok) return parsed;
  const branding = await brandingFor(services, site, parsed.client.clientId);
  return {
    ok: true,
    page: { services, site, request, client: parsed.client, auth: parsed.request, branding, csrf: csrfToken(site, request) },
  };
}

/** A page's GET handler: `view` renders once the page is open (else the authorization endpoint's answer). */
export function pageHandler(view: (page: PageContext) => HostedResponse | Promise<HostedResponse>): HostedHandler {
  return async (services, site, request) => {
    const opened = await openPage(services, site, request);
    if (!opened.ok) return opened.response;
    return view(opened.page);
  };
}

/**
 * A form's POST handler: `submit` acts on the posted fields once the page is open and the form's
 * CSRF token is right; a missing or wrong token gets the 403 page and no action.
 */
export function formHandler(submit: (page: PageContext, form: URLSearchParams) => Promise<HostedResponse>): HostedHandler {
  return pageHandler((page) => {
    const form = readForm(page.request);
    if (!checkCsrf(page, form)) return forbiddenPage(page);
    return submit(page, form);
  });
}

/** A URL on this site that carries the authorization request along, with extra parameters. */
export function pageUrl(page: PageContext, path: string, extra: Record<string, string> = {}): string {
  const query = authorizationQuery(page.auth);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return `${page.site.baseUrl}${path}?${query.toString()}`;
}

/** The form fields of a url-encoded POST body; anything else posts no fields. */
export function readForm(request: HostedRequest): URLSearchParams {
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? new URLSearchParams(request.body) : new URLSearchParams();
}

/** A form value, trimmed of nothing (passwords keep their spaces); '' when absent. */
export function formValue(form: URLSearchParams, name: string): string {
  return form.get(name) ?? '';
}

/** The hidden field that carries the CSRF token. */
export function csrfField(page: PageContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${page.csrf.token}" />`;
}

/** Whether a POST carries the right CSRF token. */
export function checkCsrf(page: PageContext, form: URLSearchParams): boolean {
  return csrfValid(page.site, page.request, form);
}

/** Renders a page of this context: branding, language, redirect target, CSRF cookie when new. */
export function respond(
  page: PageContext,
  options: { title: string; body: SafeHtml; status?: number; cookies?: readonly string[]; scripts?: readonly string[] },
): HostedResponse {
  const cookies = [...(page.csrf.setCookie ? [page.csrf.setCookie] : []), ...(options.cookies ?? [])];
  return renderPage({
    title: options.title,
    body: options.body,
    branding: page.branding,
    appName: page.client.name,
    lang: page.auth.lang,
    status: options.status ?? 200,
    cookies,
    formTargets: [page.auth.redirectUri],
    ...(options.scripts ? { scripts: options.scripts } : {}),
  });
}

/** The link back to the sign-in page, with the authorization request. */
export function backToSignIn(page: PageContext): SafeHtml {
  return html`<p class="redirect-customizable"><a href="${pageUrl(page, '/login')}">Back to sign in</a></p>`;
}

/**
 * A page of one form that posts back to `action` with the authorization request: the heading (the
 * title unless told), a notice and an error, an introduction, then the form (CSRF token, `fields`,
 * the submit button) and what follows it.
 */
export function formPage(
  page: PageContext,
  options: {
    title: string;
    heading?: string;
    status?: number;
    notice?: string;
    problems?: FormProblems | undefined;
    intro?: HtmlValue;
    action: string;
    fields: HtmlValue;
    submit: { label: string; name: string };
    after?: HtmlValue;
  },
): HostedResponse {
  return respond(page, {
    title: options.title,
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">${options.heading ?? options.title}</h1>
      ${noticeBlock(options.notice)}${problemsBlock(options.problems)} ${options.intro}
      <form method="post" action="${pageUrl(page, options.action)}" novalidate>
        ${csrfField(page)} ${options.fields} ${submitButton(options.submit.label, options.submit.name)}
      </form>
      ${options.after}`,
  });
}

/** The answer to a POST whose CSRF token is missing or wrong: a 403 page, never an action. */
export function forbiddenPage(page: PageContext): HostedResponse {
  return respond(page, {
    title: 'Request refused',
    status: 403,
    body: html`<h1 class="textDescription-customizable">This form has expired</h1>
      <p class="errorMessage-customizable" role="alert">
        The request could not be verified. Please go back, reload the page and try again.
      </p>
      ${backToSignIn(page)}`,
  });
}

/** An error block (announced to screen readers), or nothing. */
export function errorBlock(message: string | undefined): SafeHtml {
  return message ? html`<p class="errorMessage-customizable" role="alert" id="errorMessage">${message}</p>` : html``;
}

/**
 * What is wrong with a posted form, above it: the problem of the form as a whole, else how many
 * fields are marked (each field says its own problem beside it).
 */
export function problemsBlock(problems: FormProblems | undefined): SafeHtml {
  if (problems === undefined) return html``;
  if (problems.form !== undefined) return errorBlock(problems.form);
  const count = Object.keys(problems.fields).length;
  if (count === 0) return html``;
  return errorBlock(count === 1 ? 'Check the field marked below.' : `Check the ${count} fields marked below.`);
}

/** A notice (a code was sent, a password was changed), or nothing. */
export function noticeBlock(message: string | undefined): SafeHtml {
  return message ? html`<p class="notice" role="status">${message}</p>` : html``;
}

/** One labelled input; the label's `for` names the input, so a click or a screen reader finds it. */
export function inputField(options: {
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  autofocus?: boolean;
  required?: boolean;
  inputmode?: string;
  describedBy?: string;
  /** The field's problem, in plain words: shown between label and input, which it describes. */
  error?: string | undefined;
  extra?: HtmlValue;
}): SafeHtml {
  const errorId = `${options.id}_error`;
  const describedBy = [options.error !== undefined ? errorId : undefined, options.describedBy].filter((id) => id !== undefined).join(' ');
  return html`<div class="field">
    <label class="label-customizable" for="${options.id}">${options.label}</label>
    ${options.error !== undefined ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
    <input
      class="inputField-customizable"
      id="${options.id}"
      name="${options.name}"
      type="${options.type ?? 'text'}"
      ${
        options.value !== undefined && options.value !== '' ? html` value="${options.value}"` : ''
      }${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${
        describedBy !== '' ? html` aria-describedby="${describedBy}"` : ''
      }${options.error !== undefined ? html` aria-invalid="true"` : ''}${options.autofocus ? html` autofocus` : ''}${options.required !== false ? html` required` : ''}
      autocapitalize="none"
      spellcheck="false"
    />
    ${options.extra}
  </div>`;
}

/** A submit button. */
export function submitButton(label: string, name: string): SafeHtml {
  return html`<button type="submit" class="btn btn-primary submitButton-customizable" name="${name}">${label}</button>`;
}

/** Whether `error` is the Cognito error named `type`. */
export function isError(error: unknown, type: string): error is CognitoError {
  return error instanceof CognitoError && error.type === type;
}

/**
 * The SECRET_HASH the managed login computes for a client with a secret: the pages act as the app
 * client itself, so they prove the secret the way an app would.
 */
export function secretHashFor(client: UserPoolClientRecord, username: string): string | undefined {
  const secret = client.secrets[0]?.secret;
  return secret === undefined ? undefined : computeSecretHash(secret, username, client.clientId);
}

/** `ClientId`, `Username` and, when the client has a secret, `SecretHash`: what every public user operation starts with. */
export function clientInput(page: PageContext, username: string): { ClientId: string; Username: string; SecretHash?: string } {
  const hash = secretHashFor(page.client, username);
  return { ClientId: page.client.clientId, Username: username, ...(hash === undefined ? {} : { SecretHash: hash }) };
}

/** Sign-in engine parameters with `SECRET_HASH` added when the client has a secret. */
export function withSecretHash(page: PageContext, username: string, parameters: Record<string, string>): Record<string, string> {
  const hash = secretHashFor(page.client, username);
  if (hash !== undefined) parameters['SECRET_HASH'] = hash;
  return parameters;
}

/**
 * A signed-in user goes back to the app: the authorization this page carries is completed, in the
 * session `sessionId` names when one goes on, else in a new one.
 */
export function finishSignIn(page: PageContext, user: UserRecord, authTime: number, sessionId?: string): Promise<HostedResponse> {
  return completeAuthorization(page.services, page.site, page.client, page.auth, user, authTime, sessionId);
}

/** The origin the pages are served at (a passkey answered on them must come from it). */
export function pageOrigin(page: PageContext): string {
  return new URL(page.site.baseUrl).origin;
}

/** The sign-in engine's context for managed login. */
export function hostedAuthContext(page: PageContext): AuthContext {
  return {
    services: page.services,
    pool: page.site.pool,
    client: page.client,
    api: 'hosted',
    clientMetadata: undefined,
    sourceIp: page.request.ip,
    pageOrigin: pageOrigin(page),
  };
}

/**
 * Runs a public operation (SignUp, ConfirmSignUp, ForgotPassword...) in process, exactly as the API
 * does after its transport: the model's validation with Cognito's messages, then the operation's
 * own handler. The pages thus follow the very rules, messages and triggers of the API.
 */
export async function runOperation<N extends OperationName>(
  page: Pick<PageContext, 'services' | 'request'>,
  operation: Operation<N>,
  input: Input<N>,
): Promise<Output<N>> {
  const model = operations[operation.name];
  if (model.input) {
    const problems = validateInput(shapes, model.input, input);
    if (problems.length > 0) throw new InvalidParameterException(validationMessage(problems));
  }
  // Through invokeOperation, as the API runs it, so the page's action is audited alike.
  const context = { services: page.services, requestId: newUuid(), sourceIp: page.request.ip, caller: undefined };
  return (await invokeOperation(operation as AnyOperation, input, context)) as Output<N>;
}
