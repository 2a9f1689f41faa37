import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
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

/** The notices the group's forms leave, by the name a redirect's query gives. */
export const GROUP_NOTICES: Readonly<Record<string, string>> = {
  'group-updated': 'Group saved.',
  'group-deleted': 'Group deleted.',
};

interface GroupView {
  errors?: { update?: string; delete?: string };
  /** What the refused form held, so it is not typed again. */
  values?: Record<string, string>;
  status?: number;
}

/** A group's page: its settings (editable), its members, and deleting it. */
async function groupPage(ctx: AdminContext, poolId: string, groupName: string, view: GroupView = {}): Promise<HostedResponse> {
  let group: Record<string, unknown>;
  try {
    group = (await ctx.call('GetGroup', { UserPoolId: poolId, GroupName: groupName }))['Group'] as Record<string, unknown>;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such group', error, { href: poolPath(poolId), label: "The pool's page" });
  }
  const members = ((await ctx.call('ListUsersInGroup', { UserPoolId: poolId, GroupName: groupName, Limit: 60 }))['Users'] ?? []) as {
    Username: string;
    UserStatus?: string;
    Enabled?: boolean;
  }[];
  const path = groupPath(poolId, groupName);
  const errors = view.errors ?? {};
  const values = view.values ?? {
    Description: String(group['Description'] ?? ''),
    Precedence: group['Precedence'] === undefined ? '' : String(group['Precedence']),
    RoleArn: String(group['RoleArn'] ?? ''),
  };
  const notice = GROUP_NOTICES[ctx.query.get('notice') ?? ''];
  const rows = members.map(
    (u) =>
      html`<tr>
        <td><a href="${userPath(poolId, u.Username)}">${u.Username}</a></td>
        <td>${u.UserStatus ?? ''}</td>
        <td>${u.Enabled === false ? 'Disabled' : 'Enabled'}</td>
      </tr>`,
  );
  return consolePage({
    title: groupName,
    status: view.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${poolPath(poolId)}">The pool's page</a></p>
      <h1>${groupName}</h1>
      ${noticeLine(notice)}
      <section aria-labelledby="group-heading">
        <h2 id="group-heading">Group</h2>
        <dl>
          <dt>Created</dt>
          <dd>${timestamp(group['CreationDate'])}</dd>
          <dt>Modified</dt>
          <dd>${timestamp(group['LastModifiedDate'])}</dd>
        </dl>
        <h3>Edit</h3>
        ${consoleForm({
          action: `${path}/update`,
          csrf: ctx.csrf.token,
          id: 'update-group',
          button: 'Save group',
          error: errors.update,
          fields: html`${textField({ id: 'description', name: 'Description', label: 'Description', value: values['Description'] })}
          ${textField({ id: 'precedence', name: 'Precedence', label: 'Precedence', type: 'number', value: values['Precedence'], invalid: errors.update !== undefined })}
          ${textField({ id: 'roleArn', name: 'RoleArn', label: 'IAM role ARN (optional)', value: values['RoleArn'] })}`,
        })}
      </section>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        ${dataTable(['Username', 'Status', 'Enabled'], rows, 'No member yet. Add users to the group from their pages.', 'The first 60 members')}
      </section>
      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete</h2>
        <p>Deleting the group takes it from its members; the users stay.</p>
        <div id="delete-group">${buttonForm({ action: `${path}/delete`, csrf: ctx.csrf.token, label: 'Delete group' })}</div>
        ${errors.delete !== undefined ? html`<p class="error" role="alert">${errors.delete}</p>` : ''}
      </section>`,
  });
}

export async function showGroup(ctx: AdminContext, poolId: string, groupName: string): Promise<HostedResponse> {
  return groupPage(ctx, poolId, groupName);
}

/** An integer field as a number for the operation; anything else as typed, for the operation's validation to refuse. */
function integerField(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** UpdateGroup with the form's description (saved as typed, empty too); an empty precedence or role leaves the group's as it is. */
export async function submitUpdateGroup(ctx: AdminContext, poolId: string, groupName: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = {
    Description: field(ctx, 'Description').trim(),
    Precedence: field(ctx, 'Precedence').trim(),
    RoleArn: field(ctx, 'RoleArn').trim(),
  };
  try {
    await ctx.call('UpdateGroup', {
      UserPoolId: poolId,
      GroupName: groupName,
      Description: values.Description,
      ...(values.Precedence !== '' ? { Precedence: integerField(values.Precedence) } : {}),
      ...(values.RoleArn !== '' ? { RoleArn: values.RoleArn } : {}),
    });
  } catch (error) {
    return groupPage(ctx, poolId, groupName, { errors: { update: refusal(error) }, values, status: 400 });
  }
  return seeOther(`${groupPath(poolId, groupName)}?notice=group-updated`);
}

export async function submitDeleteGroup(ctx: AdminContext, poolId: string, groupName: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  try {
    await ctx.call('DeleteGroup', { UserPoolId: poolId, GroupName: groupName });
  } catch (error) {
    return groupPage(ctx, poolId, groupName, { errors: { delete: refusal(error) }, status: 400 });
  }
  return seeOther(`${poolPath(poolId)}?notice=group-deleted`);
}
