import type { HostedHandler } from '../oauth/site.js';
import { updateAuthEventFeedback } from '../api/ops/threat-protection/update-auth-event-feedback.js';
import { CognitoError } from '../errors/cognito-error.js';
import { html } from '../lib/html.js';
import { brandingFor } from './branding.js';
import { renderPage } from './layout.js';
import { runOperation } from './common.js';

export { RISK_FEEDBACK_PATH } from '../auth/risk-notification.js';

/**
 * `/riskFeedback`: where the one-click links of a risk notification lead (`user_name`, `event_id`,
 * `feedback_token`, `feedback_value` `valid` or `invalid`). It records the user's verdict on the
 * sign-in as UpdateAuthEventFeedback does, and says whether it worked; a wrong or incomplete link
 * gets the operation's message on a 400 page.
 */
export const riskFeedbackPage: HostedHandler = async (services, site, request) => {
  const username = request.query.get('user_name') ?? '';
  const eventId = request.query.get('event_id') ?? '';
  const token = request.query.get('feedback_token') ?? '';
  const value = request.query.get('feedback_value');
  const branding = await brandingFor(services, site, undefined);
  const page = (status: number, title: string, message: string) =>
    renderPage({
      title,
      status,
      branding,
      appName: undefined,
      body: html`<h1>${title}</h1>
        <p role="status">${message}</p>`,
    });
  if (username === '' || eventId === '' || token === '' || (value !== 'valid' && value !== 'invalid')) {
    return page(400, 'Invalid link', 'This link is not complete.');
  }
  try {
    await runOperation({ services, request }, updateAuthEventFeedback, {
      UserPoolId: site.pool.id,
      Username: username,
      EventId: eventId,
      FeedbackToken: token,
      FeedbackValue: value === 'valid' ? 'Valid' : 'Invalid',
    });
  } catch (error) {
    if (!(error instanceof CognitoError) || error.status >= 500) throw error;
    return page(400, 'Feedback not recorded', error.message);
  }
  return value === 'valid'
    ? page(200, 'Thank you', 'You confirmed that this sign-in was yours.')
    : page(200, 'Thank you', 'You reported this sign-in as not yours. Change your password now.');
};
