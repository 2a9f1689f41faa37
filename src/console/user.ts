import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
import { buttonForm, consoleForm, consolePage, dataTable, noticeLine, selectField, timestamp } from './layout.js';
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

/** What each action on a user calls, the notice it leaves, and whether it names a group (the GroupName field). */
const USER_ACTIONS: Readonly<Record<string, { operation: string; notice: string; group?: true }>> = {
  disable: { operation: 'AdminDisableUser', notice: 'user-disabled' },
  enable: { operation: 'AdminEnableUser', notice: 'user-enabled' },
  delete: { operation: 'AdminDeleteUser', notice: 'user-deleted' },
  'reset-password': { operation: 'AdminResetUserPassword', notice: 'password-reset' },
  'add-to-group': { operation: 'AdminAddUserToGroup', notice: 'group-added', group: true },
  'remove-from-group': { operation: 'AdminRemoveUserFromGroup', notice: 'group-removed', group: true },
};

/** The notices the user actions leave, by the name a redirect's query gives. */
export const USER_NOTICES: Readonly<Record<string, string>> = {
  'user-disabled': 'User disabled.',
  'user-enabled': 'User enabled.',
  'user-deleted': 'User deleted.',
  'password-reset': 'Password reset. The user must set a new one with a code before signing in again.',
  'group-added': 'User added to the group.',
  'group-removed': 'User removed from the group.',
};

export function isUserAction(action: string): boolean {
  return Object.hasOwn(USER_ACTIONS, action);
}

/** Runs a user action (a name isUserAction accepts); the notice it leaves, or what the operation refused. */
export async function runUserAction(
  ctx: AdminContext,
  poolId: string,
  username: string,
  action: string,
): Promise<{ notice: string } | { error: string }> {
  const known = USER_ACTIONS[action]!;
  try {
    await ctx.call(known.operation, {
      UserPoolId: poolId,
      Username: username,
      ...(known.group ? { GroupName: field(ctx, 'GroupName') } : {}),
    });
  } catch (error) {
    return { error: refusal(error) };
  }
  return { notice: known.notice };
}

type Attribute = { Name: string; Value?: string };
type Device = { DeviceKey: string; DeviceAttributes?: Attribute[]; DeviceLastAuthenticatedDate?: unknown; DeviceCreateDate?: unknown };
type AuthEvent = {
  EventId?: string;
  EventType?: string;
  CreationDate?: unknown;
  EventResponse?: string;
  EventRisk?: { RiskDecision?: string; RiskLevel?: string };
  EventContextData?: { IpAddress?: string };
};

/** A list an operation gives for one section of the page, or its refusal in the section's place. */
async function listed<T>(call: () => Promise<Record<string, unknown>>, key: string): Promise<{ items: T[] } | { error: string }> {
  try {
    return { items: ((await call())[key] ?? []) as T[] };
  } catch (error) {
    return { error: refusal(error) };
  }
}

function attribute(attributes: readonly Attribute[] | undefined, name: string): string {
  return attributes?.find((a) => a.Name === name)?.Value ?? '';
}

/** A user's page: attributes and status, the actions on them, their groups, devices and sign-in events. */
async function userPage(
  ctx: AdminContext,
  poolId: string,
  username: string,
  view: { error?: string; status?: number } = {},
): Promise<HostedResponse> {
  let user: Record<string, unknown>;
  try {
    user = await ctx.call('AdminGetUser', { UserPoolId: poolId, Username: username });
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such user', error, { href: poolPath(poolId), label: "The pool's page" });
  }
  const by = { UserPoolId: poolId, Username: username };
  const [groups, allGroups, devices, events] = await Promise.all([
    listed<{ GroupName: string }>(() => ctx.call('AdminListGroupsForUser', { ...by, Limit: 60 }), 'Groups'),
    listed<{ GroupName: string }>(() => ctx.call('ListGroups', { UserPoolId: poolId, Limit: 60 }), 'Groups'),
    listed<Device>(() => ctx.call('AdminListDevices', { ...by, Limit: 60 }), 'Devices'),
    listed<AuthEvent>(() => ctx.call('AdminListUserAuthEvents', { ...by, MaxResults: 60 }), 'AuthEvents'),
  ]);
  const path = userPath(poolId, username);
  const csrf = ctx.csrf.token;
  const notice = USER_NOTICES[ctx.query.get('notice') ?? ''];
  const enabled = user['Enabled'] !== false;
  const attributes = (user['UserAttributes'] ?? []) as Attribute[];
  const memberOf = 'items' in groups ? groups.items.map((g) => g.GroupName) : [];
  const joinable = 'items' in allGroups ? allGroups.items.map((g) => g.GroupName).filter((name) => !memberOf.includes(name)) : [];

  const groupRows = memberOf.map(
    (name) =>
      html`<tr>
        <td><a href="${groupPath(poolId, name)}">${name}</a></td>
        <td>
          ${buttonForm({ action: `${path}/remove-from-group`, csrf, label: 'Remove', name: `Remove from ${name}`, hidden: { GroupName: name } })}
        </td>
      </tr>`,
  );
  const deviceRows =
    'items' in devices
      ? devices.items.map(
          (d) =>
            html`<tr>
              <td>${d.DeviceKey}</td>
              <td>${attribute(d.DeviceAttributes, 'device_name')}</td>
              <td>${attribute(d.DeviceAttributes, 'dev:device_remembered_status')}</td>
              <td>${timestamp(d.DeviceCreateDate)}</td>
              <td>${timestamp(d.DeviceLastAuthenticatedDate)}</td>
            </tr>`,
        )
      : [];
  const eventRows =
    'items' in events
      ? events.items.map(
          (e) =>
            html`<tr>
              <td>${timestamp(e.CreationDate)}</td>
              <td>${e.EventType ?? ''}</td>
              <td>${e.EventResponse ?? ''}</td>
              <td>${e.EventRisk?.RiskLevel ?? ''} ${e.EventRisk?.RiskDecision ?? ''}</td>
              <td>${e.EventContextData?.IpAddress ?? ''}</td>
            </tr>`,
        )
      : [];

  return consolePage({
    title: username,
    status: view.status ?? 200,
    signOutToken: csrf,
    body: html`<p><a href="${poolPath(poolId)}">The pool's page</a></p>
      <h1>${username}</h1>
      ${noticeLine(notice)}
      <section aria-labelledby="user-heading">
        <h2 id="user-heading">User</h2>
        <dl>
          <dt>Status</dt>
          <dd>${String(user['UserStatus'] ?? '')}</dd>
          <dt>Enabled</dt>
          <dd>${enabled ? 'Enabled' : 'Disabled'}</dd>
          <dt>Created</dt>
          <dd>${timestamp(user['UserCreateDate'])}</dd>
          <dt>Modified</dt>
          <dd>${timestamp(user['UserLastModifiedDate'])}</dd>
        </dl>
        <h3>Actions</h3>
        <div id="user-actions" class="actions">
          ${enabled ? buttonForm({ action: `${path}/disable`, csrf, label: 'Disable' }) : buttonForm({ action: `${path}/enable`, csrf, label: 'Enable' })}
          ${buttonForm({ action: `${path}/reset-password`, csrf, label: 'Reset password' })}
          ${buttonForm({ action: `${path}/delete`, csrf, label: 'Delete user' })}
          ${view.error !== undefined ? html`<p class="error" role="alert">${view.error}</p>` : ''}
        </div>
      </section>
      <section aria-labelledby="attributes-heading">
        <h2 id="attributes-heading">Attributes</h2>
        ${dataTable(
          ['Name', 'Value'],
          attributes.map(
            (a) =>
              html`<tr>
                <td>${a.Name}</td>
                <td>${a.Value ?? ''}</td>
              </tr>`,
          ),
          'No attribute.',
        )}
      </section>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        ${'error' in groups ? html`<p class="error">${groups.error}</p>` : dataTable(['Group', 'Actions'], groupRows, 'In no group.')}
        ${
          joinable.length > 0
            ? consoleForm({
                action: `${path}/add-to-group`,
                csrf,
                id: 'add-to-group',
                button: 'Add to group',
                fields: selectField({ id: 'groupName', name: 'GroupName', label: 'Group', choices: joinable }),
              })
            : html`<p class="muted">No other group to add the user to.</p>`
        }
      </section>
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Devices</h2>
        ${
          'error' in devices
            ? html`<p class="muted">${devices.error}</p>`
            : dataTable(['Device key', 'Name', 'Remembered', 'Created', 'Last signed in'], deviceRows, 'No device remembered.')
        }
      </section>
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Sign-in events</h2>
        ${
          'error' in events
            ? html`<p class="muted">${events.error}</p>`
            : dataTable(['When', 'Event', 'Outcome', 'Risk', 'IP address'], eventRows, 'No event yet.')
        }
      </section>`,
  });
}

export async function showUser(ctx: AdminContext, poolId: string, username: string): Promise<HostedResponse> {
  return userPage(ctx, poolId, username);
}

/** An action from the user's page; back to it (to the pool's page after a delete), or the refusal on it. */
export async function submitUserPageAction(
  ctx: AdminContext,
  poolId: string,
  username: string,
  action: string,
): Promise<HostedResponse | undefined> {
  if (!isUserAction(action)) return undefined;
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const outcome = await runUserAction(ctx, poolId, username, action);
  if ('error' in outcome) return userPage(ctx, poolId, username, { error: outcome.error, status: 400 });
  return seeOther(`${action === 'delete' ? poolPath(poolId) : userPath(poolId, username)}?notice=${outcome.notice}`);
}
