import type { HostedResponse } from '../oauth/site.js';
import { html, type SafeHtml } from '../lib/html.js';
import { buttonForm, consoleForm, consolePage, dataTable, noticeLine, textField, timestamp } from './layout.js';
import {
  csrfPassed,
  field,
  forbidden,
  groupPath,
  isMissing,
  missingPage,
  poolPath,
  refusal,
  seeOther,
  userPath,
  type AdminContext,
} from './context.js';
import { isUserAction, runUserAction, USER_NOTICES } from './user.js';
import { GROUP_NOTICES } from './group.js';
import { providersPath } from './identity-providers.js';
import { brandingPath } from './branding.js';
import { CONSOLE_PATH } from './session.js';

/** The pool page's forms, each of which shows its own refusal beside it. */
type FormName = 'client' | 'user' | 'userAction' | 'group' | 'filter';

/** The notices a redirect after a change may ask for; the query names one, never carries text. */
const NOTICES: Readonly<Record<string, string>> = {
  'pool-created': 'User pool created.',
  'user-created': 'User created. They sign in with the temporary password and then choose their own.',
  ...USER_NOTICES,
  ...GROUP_NOTICES,
  'group-created': 'Group created.',
};

/** Users shown at once; ListUsers' pagination token leads to the next page. */
const USERS_PAGE = 25;

/** The pool page's address for a page of its users, under a filter. */
function usersPage(path: string, filter: string, token?: string): string {
  const query = new URLSearchParams({ ...(filter !== '' ? { filter } : {}), ...(token ? { token } : {}) }).toString();
  return query === '' ? path : `${path}?${query}`;
}

/** Sign-in flows a client may allow, as CreateUserPoolClient names them. */
const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

interface PoolView {
  notice?: string | undefined;
  errors?: Partial<Record<FormName, string>>;
  /** What the refused form held, so it is not typed again (never a password). */
  values?: Record<string, string>;
  /** A client just created with a secret: the one time its secret is shown. */
  createdClient?: { id: string; name: string; secret: string | undefined };
  status?: number;
}

type Attribute = { Name: string; Value?: string };

function attribute(attributes: readonly Attribute[] | undefined, name: string): string {
  return attributes?.find((a) => a.Name === name)?.Value ?? '';
}

/** A button of the users table acting on one user (the username travels as a field). */
function userButton(ctx: AdminContext, poolId: string, action: 'enable' | 'disable' | 'delete', username: string, label: string): SafeHtml {
  return buttonForm({
    action: `${poolPath(poolId)}/users/${action}`,
    csrf: ctx.csrf.token,
    label,
    name: `${label} ${username}`,
    hidden: { Username: username },
  });
}

/** A pool's page: its settings, app clients, users (with a ListUsers filter) and groups, each with its create form. */
async function poolPage(ctx: AdminContext, poolId: string, view: PoolView = {}): Promise<HostedResponse> {
  let pool: Record<string, unknown>;
  try {
    pool = (await ctx.call('DescribeUserPool', { UserPoolId: poolId }))['UserPool'] as Record<string, unknown>;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such user pool', error, { href: `${CONSOLE_PATH}/pools`, label: 'All user pools' });
  }
  const errors = { ...view.errors };
  const values = view.values ?? {};
  const filter = ctx.query.get('filter') ?? '';
  const clients = ((await ctx.call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 }))['UserPoolClients'] ?? []) as {
    ClientId: string;
    ClientName: string;
  }[];
  const token = ctx.query.get('token') ?? '';
  let users: { Username: string; UserStatus?: string; Enabled?: boolean; Attributes?: Attribute[]; UserCreateDate?: Date }[] = [];
  let nextToken: string | undefined;
  try {
    const listed = await ctx.call('ListUsers', {
      UserPoolId: poolId,
      Limit: USERS_PAGE,
      ...(filter !== '' ? { Filter: filter } : {}),
      ...(token !== '' ? { PaginationToken: token } : {}),
    });
    users = (listed['Users'] ?? []) as typeof users;
    nextToken = listed['PaginationToken'] as string | undefined;
  } catch (error) {
    errors.filter = refusal(error);
  }
  const groups = ((await ctx.call('ListGroups', { UserPoolId: poolId, Limit: 60 }))['Groups'] ?? []) as {
    GroupName: string;
    Description?: string;
    Precedence?: number;
  }[];
  const policy = (pool['Policies'] as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy ?? {};
  const notice = view.notice ?? NOTICES[ctx.query.get('notice') ?? ''];
  const path = poolPath(poolId);
  const created = view.createdClient;
  const name = String(pool['Name'] ?? poolId);

  const clientRows = clients.map(
    (c) =>
      html`<tr>
        <td>${c.ClientName}</td>
        <td>${c.ClientId}</td>
        <td><a href="${brandingPath(poolId, c.ClientId)}" aria-label="Managed login style of ${c.ClientName}">Style</a></td>
      </tr>`,
  );
  const userRows = users.map(
    (u) =>
      html`<tr>
        <td><a href="${userPath(poolId, u.Username)}">${u.Username}</a></td>
        <td>${attribute(u.Attributes, 'email')}</td>
        <td>${u.UserStatus ?? ''}</td>
        <td>${u.Enabled === false ? 'Disabled' : 'Enabled'}</td>
        <td>
          ${u.Enabled === false ? userButton(ctx, poolId, 'enable', u.Username, 'Enable') : userButton(ctx, poolId, 'disable', u.Username, 'Disable')}
          ${userButton(ctx, poolId, 'delete', u.Username, 'Delete')}
        </td>
      </tr>`,
  );
  const groupRows = groups.map(
    (g) =>
      html`<tr>
        <td><a href="${groupPath(poolId, g.GroupName)}">${g.GroupName}</a></td>
        <td>${g.Description ?? ''}</td>
        <td>${g.Precedence ?? ''}</td>
      </tr>`,
  );
  const flowBoxes = FLOWS.map(
    (flow) => html`<label class="check"><input type="checkbox" name="ExplicitAuthFlows" value="${flow}" />${flow}</label>`,
  );

  return consolePage({
    title: name,
    status: view.status ?? (errors.filter !== undefined ? 400 : 200),
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${CONSOLE_PATH}/pools">All user pools</a></p>
      <h1>${name}</h1>
      ${noticeLine(notice)}
      <nav aria-label="More of the pool">
        <p><a href="${providersPath(poolId)}">Identity providers</a></p>
      </nav>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <dl>
          <dt>Pool ID</dt>
          <dd>${poolId}</dd>
          <dt>ARN</dt>
          <dd>${String(pool['Arn'] ?? '')}</dd>
          <dt>Created</dt>
          <dd>${timestamp(pool['CreationDate'])}</dd>
          <dt>Sign-in with</dt>
          <dd>${((pool['UsernameAttributes'] as string[] | undefined) ?? []).join(', ') || 'username'}</dd>
          <dt>MFA</dt>
          <dd>${String(pool['MfaConfiguration'] ?? 'OFF')}</dd>
          <dt>Password length</dt>
          <dd>${String(policy['MinimumLength'] ?? '')} or more</dd>
          <dt>Deletion protection</dt>
          <dd>${String(pool['DeletionProtection'] ?? 'INACTIVE')}</dd>
          <dt>Estimated users</dt>
          <dd>${String(pool['EstimatedNumberOfUsers'] ?? 0)}</dd>
        </dl>
      </section>
      <section aria-labelledby="clients-heading">
        <h2 id="clients-heading">App clients</h2>
        ${
          created
            ? html`<div class="notice" role="status">
                <p>App client ${created.name} created: ID <span class="secret" id="created-client-id">${created.id}</span>.</p>
                ${
                  created.secret
                    ? html`<p>Its secret, shown this once: <span class="secret" id="created-client-secret">${created.secret}</span></p>`
                    : ''
                }
              </div>`
            : ''
        }
        ${dataTable(['Name', 'Client ID', 'Managed login'], clientRows, 'No app client yet.')}
        <h3>Create an app client</h3>
        ${consoleForm({
          action: `${path}/clients`,
          csrf: ctx.csrf.token,
          id: 'create-client',
          button: 'Create client',
          error: errors.client,
          fields: html`${textField({ id: 'clientName', name: 'ClientName', label: 'Client name', value: values['ClientName'], invalid: errors.client !== undefined })}
            <fieldset>
              <legend>Sign-in flows</legend>
              ${flowBoxes}
            </fieldset>
            <label class="check"><input type="checkbox" name="GenerateSecret" value="true" />Generate a client secret</label>`,
        })}
      </section>
      <section aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        <form method="get" action="${path}" role="search" ${errors.filter !== undefined ? html` aria-describedby="filter-error"` : ''}>
          <div class="fields">
            ${textField({ id: 'filter', name: 'filter', type: 'search', label: 'Filter (ListUsers syntax, such as email ^= "ann")', value: filter, invalid: errors.filter !== undefined })}
            <button type="submit">Search</button>
          </div>
          ${errors.filter !== undefined ? html`<p class="error" role="alert" id="filter-error">${errors.filter}</p>` : ''}
        </form>
        ${errors.userAction !== undefined ? html`<p class="error" role="alert">${errors.userAction}</p>` : ''}
        ${dataTable(['Username', 'Email', 'Status', 'Enabled', 'Actions'], userRows, filter === '' && token === '' ? 'No user yet.' : 'No user matches the filter.')}
        ${
          nextToken !== undefined || token !== ''
            ? html`<nav aria-label="Pages of users">
                ${token !== '' ? html`<a href="${usersPage(path, filter)}">First page</a>` : ''}
                ${nextToken !== undefined ? html`<a href="${usersPage(path, filter, nextToken)}">Next page</a>` : ''}
              </nav>`
            : ''
        }
        <h3>Create a user</h3>
        ${consoleForm({
          action: `${path}/users`,
          csrf: ctx.csrf.token,
          id: 'create-user',
          button: 'Create user',
          error: errors.user,
          fields: html`${textField({ id: 'username', name: 'Username', label: 'Username', value: values['Username'], invalid: errors.user !== undefined })}
          ${textField({ id: 'email', name: 'email', label: 'Email (optional)', value: values['email'] })}
          ${textField({ id: 'temporaryPassword', name: 'TemporaryPassword', type: 'password', label: 'Temporary password', invalid: errors.user !== undefined, autocomplete: 'new-password' })}`,
        })}
      </section>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        ${dataTable(['Name', 'Description', 'Precedence'], groupRows, 'No group yet.')}
        <h3>Create a group</h3>
        ${consoleForm({
          action: `${path}/groups`,
          csrf: ctx.csrf.token,
          id: 'create-group',
          button: 'Create group',
          error: errors.group,
          fields: html`${textField({ id: 'groupName', name: 'GroupName', label: 'Group name', value: values['GroupName'], invalid: errors.group !== undefined })}
          ${textField({ id: 'groupDescription', name: 'Description', label: 'Description (optional)', value: values['Description'] })}`,
        })}
      </section>`,
  });
}

export async function showPool(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  return poolPage(ctx, poolId);
}

/** CreateUserPoolClient; the page then shows the new client, and its secret this one time. */
export async function submitCreateClient(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const name = field(ctx, 'ClientName');
  const flows = ctx.form.getAll('ExplicitAuthFlows');
  try {
    const created = await ctx.call('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: name,
      GenerateSecret: field(ctx, 'GenerateSecret') === 'true',
      ...(flows.length > 0 ? { ExplicitAuthFlows: flows } : {}),
    });
    const client = created['UserPoolClient'] as { ClientId: string; ClientName: string; ClientSecret?: string };
    return poolPage(ctx, poolId, { createdClient: { id: client.ClientId, name: client.ClientName, secret: client.ClientSecret } });
  } catch (error) {
    return poolPage(ctx, poolId, { errors: { client: refusal(error) }, values: { ClientName: name }, status: 400 });
  }
}

/** AdminCreateUser with a temporary password, no invitation sent (the admin hands the password over). */
export async function submitCreateUser(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const username = field(ctx, 'Username');
  const email = field(ctx, 'email').trim();
  try {
    await ctx.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: field(ctx, 'TemporaryPassword'),
      MessageAction: 'SUPPRESS',
      ...(email !== '' ? { UserAttributes: [{ Name: 'email', Value: email }] } : {}),
    });
  } catch (error) {
    return poolPage(ctx, poolId, { errors: { user: refusal(error) }, values: { Username: username, email }, status: 400 });
  }
  return seeOther(`${poolPath(poolId)}?notice=user-created`);
}

/** An action of the users table (disable, enable, delete); back to the pool's page with its notice, or its refusal there. */
export async function submitUserAction(ctx: AdminContext, poolId: string, action: string): Promise<HostedResponse | undefined> {
  if (!isUserAction(action)) return undefined;
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const outcome = await runUserAction(ctx, poolId, field(ctx, 'Username'), action);
  if ('error' in outcome) return poolPage(ctx, poolId, { errors: { userAction: outcome.error }, status: 400 });
  return seeOther(`${poolPath(poolId)}?notice=${outcome.notice}`);
}

export async function submitCreateGroup(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const groupName = field(ctx, 'GroupName');
  const description = field(ctx, 'Description').trim();
  try {
    await ctx.call('CreateGroup', {
      UserPoolId: poolId,
      GroupName: groupName,
      ...(description !== '' ? { Description: description } : {}),
    });
  } catch (error) {
    return poolPage(ctx, poolId, {
      errors: { group: refusal(error) },
      values: { GroupName: groupName, Description: description },
      status: 400,
    });
  }
  return seeOther(`${poolPath(poolId)}?notice=group-created`);
}
