import type { HostedResponse } from '../oauth/site.js';
import type { CodeDeliveryDetailsType } from '../generated/cognito-idp/shapes.js';
import type { UserRecord } from '../store/ports.js';
import { confirmSignUp } from '../api/ops/users/confirm-sign-up.js';
import { resendConfirmationCode } from '../api/ops/users/resend-confirmation-code.js';
import { resolveUser } from '../auth/resolve-user.js';
import { continueSignIn } from '../auth/sign-in.js';
import type { AuthOutcome } from '../auth/types.js';
import { assertCanSignIn } from '../auth/steps/user-status.js';
import { newUuid } from '../lib/ids.js';
import { html } from '../lib/html.js';
import {
  clientInput,
  csrfField,
  finishSignIn,
  formHandler,
  formValue,
  hostedAuthContext,
  inputField,
  noticeBlock,
  pageHandler,
  pageUrl,
  problemsBlock,
  respond,
  runOperation,
  submitButton,
  type PageContext,
} from './common.js';
import { loginView } from './login.js';
import { nextSignInPage } from './sign-in-step.js';
import { firstProblemField, formProblem, missingFields, problemsFromError, type FieldRef, type FormProblems } from './form-problems.js';

/** The sealer context of confirmation tickets. */
const TICKET_CONTEXT = 'hosted-confirm-ticket';
/** How long a ticket signs the user in after confirmation; a sign-up code lives 24 hours, a visit less. */
const TICKET_MS = 3_600_000;
/** How long a spent ticket is remembered: longer than any ticket lives. */
const SPENT_MARKER_MS = 2 * TICKET_MS;

/**
 * Proof, carried in the confirmation form, that this browser just signed up (or typed the right
 * password of an unconfirmed user): with it, a right code signs the user in at once, as Cognito's
 * managed login does after sign-up. Without it, a code only confirms, and the user signs in next.
 */
interface ConfirmTicket {
  poolId: string;
  clientId: string;
  username: string;
  sub: string;
  expiresAt: number;
  nonce: string;
}

export function sealConfirmTicket(page: PageContext, user: UserRecord): string {
  const ticket: ConfirmTicket = {
    poolId: page.site.pool.id,
    clientId: page.client.clientId,
    username: user.username,
    sub: user.sub,
    expiresAt: page.services.clock.now() + TICKET_MS,
    nonce: newUuid(),
  };
  return page.services.sealer.seal(JSON.stringify(ticket), TICKET_CONTEXT);
}

function openConfirmTicket(page: PageContext, sealed: string): ConfirmTicket | undefined {
  if (sealed === '') return undefined;
  const opened = page.services.sealer.openString(sealed, TICKET_CONTEXT);
  if (opened === null) return undefined;
  try {
    const ticket = JSON.parse(opened) as Partial<ConfirmTicket>;
    if (
      ticket.poolId !== page.site.pool.id ||
      ticket.clientId !== page.client.clientId ||
      typeof ticket.username !== 'string' ||
      typeof ticket.sub !== 'string' ||
      typeof ticket.nonce !== 'string' ||
      typeof ticket.expiresAt !== 'number' ||
      page.services.clock.now() >= ticket.expiresAt
    ) {
      return undefined;
    }
    return ticket as ConfirmTicket;
  } catch {
    return undefined;
  }
}

/** "We have sent a code by email to a***@e***." */
export function deliveryText(details: CodeDeliveryDetailsType | undefined, purpose: string): string | undefined {
  if (!details?.Destination) return undefined;
  const by = details.DeliveryMedium === 'SMS' ? 'SMS' : 'email';
  return `We have sent a ${purpose} by ${by} to ${details.Destination}.`;
}

/** The confirmation form's fields, as their problems name them. */
const CONFIRM_USERNAME: FieldRef = { name: 'username', label: 'Username' };
const CONFIRM_CODE: FieldRef = { name: 'code', label: 'Verification code', missing: 'Enter the code we sent you.' };

/** The confirmation page: the code from the message, and a way to have it sent again. */
export function confirmView(
  page: PageContext,
  options: { username: string; ticket?: string; delivery?: string | undefined; problems?: FormProblems; notice?: string; status?: number },
): HostedResponse {
  const ticket = options.ticket ?? '';
  const problems = options.problems;
  const focus = firstProblemField(problems, ['username', 'code'], options.username === '' ? 'username' : 'code');
  return respond(page, {
    title: 'Confirm your account',
    status: options.status ?? 200,
    body: html`<h1 class="textDescription-customizable">Confirm your account</h1>
      ${noticeBlock(options.notice)}${problemsBlock(problems)}
      ${
        options.delivery
          ? html`<p class="textDescription-customizable">${options.delivery} Enter it below to confirm your account.</p>`
          : html`<p class="textDescription-customizable">Enter the code we sent you to confirm your account.</p>`
      }
      <form method="post" action="${pageUrl(page, '/confirm')}" novalidate>
        ${csrfField(page)}
        <input type="hidden" name="ticket" value="${ticket}" />
        ${
          options.username !== ''
            ? html`<input type="hidden" name="username" value="${options.username}" />`
            : inputField({
                id: 'confirmUsername',
                name: 'username',
                label: 'Username',
                autocomplete: 'username',
                autofocus: focus === 'username',
                error: problems?.fields['username'],
              })
        }
        ${inputField({ id: 'verification_code', name: 'code', label: 'Verification code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: focus === 'code', error: problems?.fields['code'] })}
        ${submitButton('Confirm account', 'confirm')}
      </form>
      ${
        options.username !== ''
          ? html`<form method="post" action="${pageUrl(page, '/resendcode')}" class="redirect-customizable">
              ${csrfField(page)}
              <input type="hidden" name="ticket" value="${ticket}" />
              <input type="hidden" name="username" value="${options.username}" />
              <span class="textDescription-customizable">Didn't receive a code?</span>
              <button type="submit" class="link-button">Send a new code</button>
            </form>`
          : ''
      }`,
  });
}

/**
 * The problems of a confirmation: a wrong or expired code beside the code; the rest (an unknown
 * user, one already confirmed) above the form, since the username is fixed once given.
 */
function confirmProblems(page: PageContext, error: unknown): FormProblems {
  return problemsFromError(page.services, error, { code: CONFIRM_CODE });
}

/**
 * ResendConfirmationCode, then the confirmation page (with the delivery named by `purpose`); a
 * failure shows the page again with the error, answered with `errorStatus`.
 */
async function sendConfirmationCode(
  page: PageContext,
  options: { username: string; ticket: string; purpose: string; errorStatus: number },
): Promise<HostedResponse> {
  const { username, ticket } = options;
  try {
    const sent = await runOperation(page, resendConfirmationCode, clientInput(page, username));
    return confirmView(page, { username, ticket, delivery: deliveryText(sent.CodeDeliveryDetails, options.purpose) });
  } catch (error) {
    return confirmView(page, { username, ticket, status: options.errorStatus, problems: confirmProblems(page, error) });
  }
}

/**
 * Where sign-in sends a user whose password was right but who is not confirmed yet: a new code is
 * sent (as ResendConfirmationCode would) and the confirmation page shown, ticketed for sign-in.
 */
export async function confirmAfterSignIn(page: PageContext, username: string): Promise<HostedResponse> {
  const user = await resolveUser(page.services, page.site.pool, username);
  if (!user) return loginView(page, { status: 400, username, problems: formProblem('User does not exist.') });
  return sendConfirmationCode(page, { username, ticket: sealConfirmTicket(page, user), purpose: 'code', errorStatus: 200 });
}

/**
 * Signs in a user who just signed up or confirmed, through the engine's end of sign-in (so a
 * disabled user is still refused, and MFA is asked for), and goes on to the app or to the MFA
 * page; undefined when sign-in ends with neither, and the caller's next page follows.
 */
export async function signInConfirmedUser(page: PageContext, user: UserRecord, username: string): Promise<HostedResponse | undefined> {
  let outcome: AuthOutcome;
  try {
    assertCanSignIn(user);
    outcome = await continueSignIn(hostedAuthContext(page), user);
  } catch (error) {
    return loginView(page, { status: 400, username, problems: problemsFromError(page.services, error, {}) });
  }
  if (outcome.kind === 'signed-in') return finishSignIn(page, outcome.user, outcome.authTime);
  if (outcome.kind === 'challenge') return nextSignInPage(page, outcome, username);
  return undefined;
}

/** GET /confirm: the confirmation form for `username` (Cognito's own direct link carries it). */
export const confirmPage = pageHandler((page) => confirmView(page, { username: page.request.query.get('username') ?? '' }));

/**
 * POST /confirm: ConfirmSignUp with the code. With a valid ticket the user is then signed in
 * (through the engine's end of sign-in, so a disabled user is still refused) and sent back to the
 * app; without one, the sign-in page follows.
 */
export const confirmSubmit = formHandler(async (page, form) => {
  const { services } = page;
  const username = formValue(form, 'username');
  const ticket = formValue(form, 'ticket');
  const missing = missingFields(form, [CONFIRM_USERNAME, CONFIRM_CODE]);
  if (missing) return confirmView(page, { username, ticket, status: 400, problems: missing });
  try {
    await runOperation(page, confirmSignUp, { ...clientInput(page, username), ConfirmationCode: formValue(form, 'code') });
  } catch (error) {
    return confirmView(page, { username, ticket, status: 400, problems: confirmProblems(page, error) });
  }
  const proof = openConfirmTicket(page, ticket);
  const user = proof ? await resolveUser(services, page.site.pool, proof.username) : undefined;
  if (proof && user && user.sub === proof.sub) {
    const uses = await services.store.rateCounters.hitSliding(`hosted-confirm:${proof.nonce}`, SPENT_MARKER_MS, services.clock.now());
    if (uses === 1) {
      const signedIn = await signInConfirmedUser(page, user, username);
      if (signedIn) return signedIn;
    }
  }
  return loginView(page, { username, notice: 'Your account has been confirmed. Sign in to continue.' });
});

/** POST /resendcode: ResendConfirmationCode, then the confirmation page again. */
export const resendCodeSubmit = formHandler((page, form) =>
  sendConfirmationCode(page, {
    username: formValue(form, 'username'),
    ticket: formValue(form, 'ticket'),
    purpose: 'new code',
    errorStatus: 400,
  }),
);
