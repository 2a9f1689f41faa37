import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { adminOriginAllowed } from './cors.js';

/** HTTP Basic with an admin key pair (`curl -u ACCESS_KEY_ID:SECRET`); false when absent or wrong. */
function isAdmin(request: FastifyRequest, services: Services): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return false;
  const secret = services.secretFor(decoded.slice(0, colon));
  return secret !== undefined && constantTimeEqual(secret, decoded.slice(colon + 1));
}

/**
 * Developer endpoints under `/_cognate/`: the local inbox of delivered codes. Admin-authenticated,
 * because the inbox holds live codes.
 */
export function registerAdmin(app: FastifyInstance, services: Services): void {
  // A browser page of another site is refused before anything runs, unless its origin is allowed;
  // allowed origins get CORS, their preflight included.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/_cognate/') || request.headers.origin === undefined) return;
    // The console's own forms post from its own origin (browsers send Origin on every POST).
    if (request.url.startsWith('/_cognate/console') && request.headers.origin === `${request.protocol}://${request.host}`) return;
    if (!adminOriginAllowed(request, services)) {
      return reply.code(403).header('vary', 'Origin').send({ message: 'Origin not allowed; see COGNATE_ADMIN_ORIGINS' });
    }
    reply.header('access-control-allow-origin', request.headers.origin).header('vary', 'Origin');
  });
  app.options('/_cognate/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, OPTIONS')
      .header('access-control-allow-headers', 'authorization')
      .header('access-control-max-age', '600')
      .send(),
  );
  app.get<{ Querystring: { poolId?: string; username?: string; limit?: string } }>('/_cognate/inbox', async (request, reply) => {
    if (!isAdmin(request, services)) {
      return reply.code(401).header('www-authenticate', 'Basic realm="cognate"').send({ message: 'Admin credentials required' });
    }
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50) || 50, 1), 500);
    const messages = await services.store.inbox.list({
      ...(request.query.poolId ? { poolId: request.query.poolId } : {}),
      ...(request.query.username ? { username: request.query.username } : {}),
      limit,
    });
    return { messages };
  });
}
