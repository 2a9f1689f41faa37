import { html, toHtmlString } from '../lib/html.js';
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
 * `GET /error`: a small page for errors that cannot go back to a client. Everything it shows is
 * escaped, and it is never framed or cached.
 */
export const errorPage: HostedHandler = async (_services, _site, request) => {
  const error = (request.query.get('error') ?? '').slice(0, 200);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Error</title>
      </head>
      <body>
        <main>
          <h1>${MESSAGE}</h1>
          ${error !== '' && html`<p><code>${error}</code></p>`}
        </main>
      </body>
    </html> `;
  return {
    status: 400,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: toHtmlString(page),
  };
};
