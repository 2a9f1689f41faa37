import { html } from '../lib/html.js';
import { renderPage } from '../pages/layout.js';
import { brandingFor } from '../pages/branding.js';
import type { HostedHandler, HostedResponse, HostedSite } from './site.js';
import { redirectTo } from './site.js';

/**
 * Sends the browser to the site's own error page: what Cognito does when it cannot trust the
 * request enough to answer the client's redirect URI (an unknown client, an unregistered redirect
 * or sign-out URI), e.g. `/error?error=redirect_mismatch&client_id=...`. The redirect never
 * leaves the pool's site.
 */
export function errorPageRedirect(site: HostedSite, error: string, clientId?: string | null): HostedResponse {
  const query = new URLSearchParams({ error });
  if (clientId) query.set('client_id', clientId);
  return redirectTo(`${site.baseUrl}/error?${query.toString()}`);
}

/** Cognito's page reads "An error was encountered with the requested page." whatever the error. */
const MESSAGE = 'An error was encountered with the requested page.';

/**
 * `GET /error`: the page for errors that cannot go back to a client, in the look of the other
 * pages (and the client's branding, when `client_id` names a client of the pool). Everything it
 * shows is escaped, and it is sent with the pages' headers: never framed or cached.
 */
export const errorPage: HostedHandler = async (services, site, request) => {
  const error = (request.query.get('error') ?? '').slice(0, 200);
  const clientId = request.query.get('client_id');
  const client = clientId ? await services.store.clients.get(site.pool.id, clientId) : undefined;
  return renderPage({
    title: 'Error',
    status: 400,
    branding: await brandingFor(services, site, client?.clientId),
    appName: client?.name,
    body: html`<h1 class="textDescription-customizable">${MESSAGE}</h1>
      <p class="textDescription-customizable">Go back to the app and try again. If the problem persists, contact the app's support.</p>
      ${error !== '' && html`<p class="legalText-customizable">Error code: <code>${error}</code></p>`}`,
  });
};
