import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
import { consoleForm, consolePage, dataTable, textField, timestamp } from './layout.js';
import { csrfPassed, field, forbidden, poolPath, refusal, seeOther, type AdminContext } from './context.js';
import { CONSOLE_PATH } from './session.js';

interface PoolSummary {
  Id: string;
  Name: string;
  CreationDate?: unknown;
}

/** The user pools (the first 60, as one ListUserPools page) and the form that creates one. */
async function poolsPage(ctx: AdminContext, options: { error?: string; name?: string; status?: number } = {}): Promise<HostedResponse> {
  const listed = await ctx.call('ListUserPools', { MaxResults: 60 });
  const pools = (listed['UserPools'] ?? []) as PoolSummary[];
  const rows = pools.map(
    (pool) =>
      html`<tr>
        <td><a href="${poolPath(pool.Id)}">${pool.Name}</a></td>
        <td>${pool.Id}</td>
        <td>${timestamp(pool.CreationDate)}</td>
      </tr>`,
  );
  return consolePage({
    title: 'User pools',
    status: options.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<h1>User pools</h1>
      <section>
        <h2>Pools</h2>
        ${dataTable(['Name', 'ID', 'Created'], rows, 'No user pool yet.', 'The first 60 pools')}
      </section>
      <section>
        <h2>Create a user pool</h2>
        ${consoleForm({
          action: `${CONSOLE_PATH}/pools`,
          csrf: ctx.csrf.token,
          id: 'create-pool',
          button: 'Create pool',
          error: options.error,
          fields: textField({
            id: 'poolName',
            name: 'PoolName',
            label: 'Pool name',
            value: options.name,
            invalid: options.error !== undefined,
          }),
        })}
      </section>`,
  });
}

export async function showPools(ctx: AdminContext): Promise<HostedResponse> {
  return poolsPage(ctx);
}

/** CreateUserPool with the posted name and Cognito's defaults for the rest; then the new pool's page. */
export async function submitCreatePool(ctx: AdminContext): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const name = field(ctx, 'PoolName');
  let created: Record<string, unknown>;
  try {
    created = await ctx.call('CreateUserPool', { PoolName: name });
  } catch (error) {
    return poolsPage(ctx, { error: refusal(error), name, status: 400 });
  }
  const id = (created['UserPool'] as { Id: string }).Id;
  return seeOther(`${poolPath(id)}?notice=pool-created`);
}
