import type { UserPoolRecord } from '../store/ports.js';
import type { Services } from '../services.js';

/**
 * The managed-login and OAuth 2.0 endpoints of one pool, as a browser or relying party reached
 * them: by the pool's domain in `Host` (a custom domain, or `<prefix>.<loginDomain>`), or by the
 * path prefix `/<poolId>` for local use without DNS. Handlers build every URL they hand out from
 * `baseUrl`, so links and redirects stay on the address the caller used.
 */
export interface HostedSite {
  pool: UserPoolRecord;
  /** `https://auth.example.com` (by host) or `http://127.0.0.1:9229/us-east-1_abc` (by path); no trailing slash. */
  baseUrl: string;
  /** How the pool was reached; cookies are scoped to the path prefix when by path. */
  via: 'host' | 'path';
  /** The path cookies of this site are scoped to: `/` by host, `/<poolId>` by path. */
  cookiePath: string;
  /** Whether the caller reached us over HTTPS (cookies are then `Secure`). */
  secure: boolean;
}

/** A request to a hosted endpoint, framework-free. */
export interface HostedRequest {
  method: string;
  /** The path below the site, starting with `/` (`/oauth2/authorize`, `/login`). */
  path: string;
  query: URLSearchParams;
  /** The raw body as text (forms arrive url-encoded); '' when there is none. */
  body: string;
  contentType: string | undefined;
  /** Lowercased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  cookies: ReadonlyMap<string, string>;
  ip: string;
}

/** What a hosted endpoint answers. An object body is sent as JSON; a string as given. */
export interface HostedResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | Record<string, unknown>;
}

export type HostedHandler = (services: Services, site: HostedSite, request: HostedRequest) => Promise<HostedResponse>;

/** One hosted endpoint. Paths are exact and case-sensitive, as Cognito's are. */
export interface HostedRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: HostedHandler;
  /**
   * Browser apps call it from their own origin (token, userInfo, revoke): every answer on its path
   * is readable from any origin, and CORS preflights there are answered (`cors.ts`).
   */
  cors?: true;
}

/** A 302 to `location`, with any extra headers (Set-Cookie, cache control). */
export function redirectTo(location: string, headers: Record<string, string | string[]> = {}): HostedResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers } };
}
