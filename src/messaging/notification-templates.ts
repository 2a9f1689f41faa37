import type { NotifyConfigurationType, NotifyEmailType } from '../generated/cognito-idp/shapes.js';
import { escapeHtml } from '../lib/html.js';

/**
 * What adaptive authentication did about a risky sign-in, as its notification tells it: blocked
 * it, asked for MFA, or let it through. Each has its template in NotifyConfiguration (BlockEmail,
 * MfaEmail, NoActionEmail).
 */
export type RiskResponse = 'BLOCK' | 'MFA' | 'NO_ACTION';

/** What a risk notification's placeholders become. */
export interface NotificationValues {
  username: string;
  ipAddress: string;
  city: string;
  country: string;
  loginTime: string;
  deviceName: string;
  /** The one-click links that mark the sign-in's event Valid ("this was me") and Invalid. */
  validLink: string;
  invalidLink: string;
}

/** Cognate's texts for a response whose template the configuration leaves out (its own wording). */
const DEFAULT_TEXT = `Someone signed in as {username} at {login-time} from {ip-address} ({device-name}; {city}, {country}). \
If this was you, confirm it: {one-click-link-valid} . If it was not, report it and change your password: {one-click-link-invalid}`;
const DEFAULT_HTML = `<p>Someone signed in as {username} at {login-time} from {ip-address} ({device-name}; {city}, {country}).</p>
<p><a href="{one-click-link-valid}">This was me</a> &middot; <a href="{one-click-link-invalid}">This was not me</a></p>`;
const DEFAULT_TEMPLATES: Readonly<Record<RiskResponse, NotifyEmailType>> = {
  BLOCK: {
    Subject: 'Blocked sign-in attempt',
    HtmlBody: `<p>We blocked a sign-in attempt.</p>${DEFAULT_HTML}`,
    TextBody: `We blocked a sign-in attempt. ${DEFAULT_TEXT}`,
  },
  MFA: {
    Subject: 'New sign-in attempt',
    HtmlBody: `<p>We asked for a second factor.</p>${DEFAULT_HTML}`,
    TextBody: `We asked for a second factor. ${DEFAULT_TEXT}`,
  },
  NO_ACTION: { Subject: 'New sign-in attempt', HtmlBody: DEFAULT_HTML, TextBody: DEFAULT_TEXT },
};

/** The template NotifyConfiguration gives a response, or Cognate's own when it gives none. */
export function notificationTemplate(notify: NotifyConfigurationType, response: RiskResponse): NotifyEmailType {
  const own = response === 'BLOCK' ? notify.BlockEmail : response === 'MFA' ? notify.MfaEmail : notify.NoActionEmail;
  return own ?? DEFAULT_TEMPLATES[response];
}

const PLACEHOLDER = /\{(username|ip-address|city|country|login-time|device-name|one-click-link-valid|one-click-link-invalid)\}/g;

/** Fills the placeholders in one pass, so a value that holds a placeholder's text stays as it is. */
function fill(text: string, values: NotificationValues, escape: (value: string) => string): string {
  const byName: Readonly<Record<string, string>> = {
    username: values.username,
    'ip-address': values.ipAddress,
    city: values.city,
    country: values.country,
    'login-time': values.loginTime,
    'device-name': values.deviceName,
    'one-click-link-valid': values.validLink,
    'one-click-link-invalid': values.invalidLink,
  };
  return text.replace(PLACEHOLDER, (_match, name: string) => escape(byName[name] ?? ''));
}

/**
 * A risk notification's email from its template, with the placeholders AWS documents for
 * NotifyEmailType filled: `{username}`, `{ip-address}`, `{city}`, `{country}`, `{login-time}`,
 * `{device-name}`, `{one-click-link-valid}`, `{one-click-link-invalid}` (HTML-escaped in HtmlBody).
 * A template with only a TextBody sends it as the HTML part too.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-adaptive-authentication.html
 */
export function renderNotification(
  template: NotifyEmailType,
  values: NotificationValues,
): { subject: string; html: string; text: string | undefined } {
  const text = template.TextBody === undefined ? undefined : fill(template.TextBody, values, (value) => value);
  const html = template.HtmlBody === undefined ? undefined : fill(template.HtmlBody, values, escapeHtml);
  return { subject: fill(template.Subject, values, (value) => value), html: html ?? escapeHtml(text ?? ''), text };
}
