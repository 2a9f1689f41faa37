import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { HostedResponse } from '../oauth/site.js';
import {
  adminContext,
  parseMultipart,
  groupPath,
  poolPath,
  readContext,
  userPath,
  seeOther,
  type AdminContext,
  type ConsoleContext,
} from './context.js';
import { CONSOLE_PATH } from './session.js';
import { showSignIn, submitSignIn, submitSignOut } from './sign-in.js';
import { showPools, submitCreatePool } from './pools.js';
import { showPool, submitCreateClient, submitCreateGroup, submitCreateUser, submitUserAction } from './pool.js';
import { showUser, submitUserPageAction } from './user.js';
import { showGroup, submitDeleteGroup, submitUpdateGroup } from './group.js';
import {
  identityPoolPath,
  showDeleteIdentityPool,
  showIdentityPool,
  showIdentityPools,
  submitCreateIdentityPool,
  submitDeleteIdentityPool,
  submitRemoveRoleMapping,
  submitSetIdentityPoolRoles,
  submitSetRoleMapping,
} from './identity-pools.js';
import {
  brandingPath,
  showBranding,
  submitBrandingAction,
  submitPreviewBranding,
  submitSaveBranding,
  submitUploadAsset,
} from './branding.js';
import {
  providerPath,
  showIdentityProvider,
  showIdentityProviders,
  submitCreateIdentityProvider,
  submitDeleteIdentityProvider,
  submitUpdateIdentityProvider,
} from './identity-providers.js';

type Params = Record<string, string>;

/** The largest body of an image upload: the API's limit for a branding request (other forms keep `bodyLimit`). */
const UPLOAD_LIMIT = 2 * 1024 * 1024;

function send(reply: FastifyReply, response: HostedResponse, csrfCookie: string | undefined): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  // A browser's first page sets the CSRF cookie its forms' tokens are checked against.
  if (csrfCookie !== undefined) {
    const cookies = response.headers?.['set-cookie'];
    reply.header('set-cookie', [...(cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies]), csrfCookie]);
  }
  return reply.send(response.body);
}

/**
 * The admin console at `/_cognate/console`: server-rendered pages without script, in a scope of
 * its own that reads url-encoded forms as text. Every page but sign-in needs a console session; a
 * request without one is sent to sign in and nothing runs. Changes are operations run in process
 * (see adminCaller), so they follow the API's rules and are audited under the signed-in admin.
 */
export function registerConsole(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // Multipart forms (a branding image's upload) as their fields and files; only the upload's route
    // takes more than `bodyLimit`: the 2 MB a branding request may have on the API (an image of up to
    // 1,000,000 bytes, which the operation checks, and the form around it).
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
      parseMultipart(body as Buffer, String(request.headers['content-type'])).then((parsed) => done(null, parsed), done);
    });

    const open =
      (handler: (ctx: ConsoleContext, params: Params) => Promise<HostedResponse>) =>
      async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const ctx = readContext(services, request);
        return send(reply, await handler(ctx, request.params as Params), ctx.csrf.setCookie);
      };
    const signedIn = (handler: (ctx: AdminContext, params: Params) => Promise<HostedResponse | undefined>) =>
      open(async (ctx, params) => {
        if (!ctx.session) return seeOther(`${CONSOLE_PATH}/sign-in`);
        return (
          (await handler(adminContext({ ...ctx, session: ctx.session }), params)) ?? {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            body: 'Not found',
          }
        );
      });

    scope.get(
      CONSOLE_PATH,
      open(async (ctx) => seeOther(`${CONSOLE_PATH}/${ctx.session ? 'pools' : 'sign-in'}`)),
    );
    scope.get(`${CONSOLE_PATH}/sign-in`, open(showSignIn));
    scope.post(`${CONSOLE_PATH}/sign-in`, open(submitSignIn));
    scope.post(`${CONSOLE_PATH}/sign-out`, open(submitSignOut));
    scope.get(`${CONSOLE_PATH}/pools`, signedIn(showPools));
    scope.post(`${CONSOLE_PATH}/pools`, signedIn(submitCreatePool));
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId`,
      signedIn((ctx, p) => showPool(ctx, p['poolId']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/clients`,
      signedIn((ctx, p) => submitCreateClient(ctx, p['poolId']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/users`,
      signedIn((ctx, p) => submitCreateUser(ctx, p['poolId']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/users/:action`,
      signedIn((ctx, p) => submitUserAction(ctx, p['poolId']!, p['action']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/groups`,
      signedIn((ctx, p) => submitCreateGroup(ctx, p['poolId']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/users/:username`,
      signedIn((ctx, p) => showUser(ctx, p['poolId']!, p['username']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/users/:username/:action`,
      signedIn((ctx, p) => submitUserPageAction(ctx, p['poolId']!, p['username']!, p['action']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/groups/:groupName`,
      signedIn((ctx, p) => showGroup(ctx, p['poolId']!, p['groupName']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/groups/:groupName/update`,
      signedIn((ctx, p) => submitUpdateGroup(ctx, p['poolId']!, p['groupName']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/groups/:groupName/delete`,
      signedIn((ctx, p) => submitDeleteGroup(ctx, p['poolId']!, p['groupName']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers`,
      signedIn((ctx, p) => showIdentityProviders(ctx, p['poolId']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers`,
      signedIn((ctx, p) => submitCreateIdentityProvider(ctx, p['poolId']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers/delete`,
      signedIn((ctx, p) => submitDeleteIdentityProvider(ctx, p['poolId']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers/:name`,
      signedIn((ctx, p) => showIdentityProvider(ctx, p['poolId']!, p['name']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers/:name/update`,
      signedIn((ctx, p) => submitUpdateIdentityProvider(ctx, p['poolId']!, p['name']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/identity-providers/:name/update`,
      signedIn(async (_ctx, p) => seeOther(providerPath(p['poolId']!, p['name']!))),
    );
    const branding = `${CONSOLE_PATH}/pools/:poolId/clients/:clientId/branding`;
    scope.get(
      branding,
      signedIn((ctx, p) => showBranding(ctx, p['poolId']!, p['clientId']!)),
    );
    scope.post(
      branding,
      signedIn((ctx, p) => submitSaveBranding(ctx, p['poolId']!, p['clientId']!)),
    );
    scope.post(
      `${branding}/preview`,
      signedIn((ctx, p) => submitPreviewBranding(ctx, p['poolId']!, p['clientId']!)),
    );
    scope.post(
      `${branding}/assets`,
      { bodyLimit: Math.max(services.config.bodyLimit, UPLOAD_LIMIT) },
      signedIn((ctx, p) => submitUploadAsset(ctx, p['poolId']!, p['clientId']!)),
    );
    scope.post(
      `${branding}/:action`,
      signedIn((ctx, p) => submitBrandingAction(ctx, p['poolId']!, p['clientId']!, p['action']!)),
    );
    scope.get(
      `${branding}/:action`,
      signedIn(async (_ctx, p) => seeOther(brandingPath(p['poolId']!, p['clientId']!))),
    );
    scope.get(`${CONSOLE_PATH}/identity-pools`, signedIn(showIdentityPools));
    scope.post(`${CONSOLE_PATH}/identity-pools`, signedIn(submitCreateIdentityPool));
    scope.get(
      `${CONSOLE_PATH}/identity-pools/:id`,
      signedIn((ctx, p) => showIdentityPool(ctx, p['id']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/identity-pools/:id/roles`,
      signedIn((ctx, p) => submitSetIdentityPoolRoles(ctx, p['id']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/identity-pools/:id/mappings`,
      signedIn((ctx, p) => submitSetRoleMapping(ctx, p['id']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/identity-pools/:id/mappings/remove`,
      signedIn((ctx, p) => submitRemoveRoleMapping(ctx, p['id']!)),
    );
    scope.get(
      `${CONSOLE_PATH}/identity-pools/:id/delete`,
      signedIn((ctx, p) => showDeleteIdentityPool(ctx, p['id']!)),
    );
    scope.post(
      `${CONSOLE_PATH}/identity-pools/:id/delete`,
      signedIn((ctx, p) => submitDeleteIdentityPool(ctx, p['id']!)),
    );
    for (const form of ['roles', 'mappings', 'mappings/remove']) {
      scope.get(
        `${CONSOLE_PATH}/identity-pools/:id/${form}`,
        signedIn(async (_ctx, p) => seeOther(identityPoolPath(p['id']!))),
      );
    }
    // A form's own address opened again (history, a copied link) leads back to the page it was on.
    const backToPool = signedIn(async (_ctx, p) => seeOther(poolPath(p['poolId']!)));
    for (const form of ['clients', 'users', 'groups']) scope.get(`${CONSOLE_PATH}/pools/:poolId/${form}`, backToPool);
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/users/:username/:action`,
      signedIn(async (_ctx, p) => seeOther(userPath(p['poolId']!, p['username']!))),
    );
    scope.get(
      `${CONSOLE_PATH}/pools/:poolId/groups/:groupName/:action`,
      signedIn(async (_ctx, p) => seeOther(groupPath(p['poolId']!, p['groupName']!))),
    );
  });
}
