import type { HostedHandler } from '../oauth/site.js';
import { invokeOperation } from '../api/invoke.js';
import type { AnyOperation } from '../api/define-operation.js';
import { confirmSignUp } from '../api/ops/users/confirm-sign-up.js';
import { CognitoError } from '../errors/cognito-error.js';
import { newUuid } from '../lib/ids.js';
import { html } from '../lib/html.js';
import { brandingFor } from './branding.js';
import { renderPage } from './layout.js';
import { secretHashFor } from './common.js';

/**
 * `/confirmUser`: where the link of a link-style sign-up email leads (`client_id`, `user_name`,
 * `confirmation_code` in the query). It confirms the user as ConfirmSignUp does (the page proves the
 * client's secret itself, as the other pages do) and says whether it worked; a wrong, expired or
 * spent link gets ConfirmSignUp's message on a 400 page.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
 */
export const confirmUserPage: HostedHandler = async (services, site, request) => {
  const clientId = request.query.get('client_id') ?? '';
  const username = request.query.get('user_name') ?? '';
  const code = request.query.get('confirmation_code') ?? '';
  const client = clientId === '' ? undefined : await services.store.clients.get(site.pool.id, clientId);
  const branding = await brandingFor(services, site, client?.clientId);
  const page = (status: number, title: string, message: string) =>
    renderPage({
      title,
      status,
      branding,
      appName: client?.name,
      body: html`<h1>${title}</h1>
        <p role="status">${message}</p>`,
    });
  if (!client || username === '' || code === '') return page(400, 'Invalid link', 'This confirmation link is not complete.');
  const hash = secretHashFor(client, username);
  const input = {
    ClientId: client.clientId,
    Username: username,
    ConfirmationCode: code,
    ...(hash === undefined ? {} : { SecretHash: hash }),
  };
  try {
    await invokeOperation(confirmSignUp as AnyOperation, input, {
      services,
      requestId: newUuid(),
      sourceIp: request.ip,
      caller: undefined,
    });
  } catch (error) {
    if (!(error instanceof CognitoError) || error.status >= 500) throw error;
    return page(400, 'Confirmation failed', error.message);
  }
  return page(200, 'Confirmed', 'Your registration has been confirmed!');
};
