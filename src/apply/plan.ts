import { shapes } from '../generated/cognito-idp/schema.js';
import type { ApplyDocument, DeclaredClient, DeclaredIdentityPool, DeclaredPool, DeclaredUser, DocumentPath } from './document.js';
import { formatPath } from './document.js';

/** Runs one cognito-idp operation in process (validated, audited) and answers its output. */
export type Call = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Puts a newly created client under the ID the document fixes (Cognito has no such input). */
export type PinClientId = (poolId: string, generatedId: string, fixedId: string) => Promise<void>;

export type Action = 'create' | 'update' | 'unchanged' | 'delete';

/** One line of the plan, and what applying it runs (nothing for `unchanged`). */
export interface Step {
  action: Action;
  kind: 'UserPool' | 'UserPoolClient' | 'Group' | 'ResourceServer' | 'Domain' | 'IdentityProvider' | 'User' | 'IdentityPool';
  /** `pool`, or `pool/child`. */
  name: string;
  /** The members an update changes. */
  changed?: string[];
  run?: () => Promise<void>;
}

/** What the document resolves to once applied: the ids a stack would output. */
export interface Output {
  name: string;
  member: 'UserPoolId' | 'ClientId' | 'IdentityPoolId';
  value: () => string;
}

export interface Plan {
  steps: Step[];
  outputs: Output[];
}

/** The plan cannot be made: every reason, with its document path. */
export class PlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the document cannot be applied:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

type Members = Record<string, unknown>;

/** CreateUserPool members the pool's description names otherwise. */
const POOL_DESCRIBED_AS: Readonly<Record<string, string>> = { PoolName: 'Name', Schema: 'SchemaAttributes' };
/** What `CreateX` takes that `UpdateX` does not: fixed at creation. */
function fixedAtCreation(create: string, update: string): Set<string> {
  const updatable = new Set(Object.keys(shapeMembers(update)));
  return new Set(Object.keys(shapeMembers(create)).filter((m) => !updatable.has(m)));
}
function shapeMembers(name: string): Readonly<Record<string, string>> {
  const shape = shapes[name];
  if (!shape || shape.type !== 'structure') throw new Error(`not a structure: ${name}`);
  return shape.members;
}
const POOL_FIXED = fixedAtCreation('CreateUserPoolRequest', 'UpdateUserPoolRequest');
const CLIENT_FIXED = fixedAtCreation('CreateUserPoolClientRequest', 'UpdateUserPoolClientRequest');
const PROVIDER_FIXED = fixedAtCreation('CreateIdentityProviderRequest', 'UpdateIdentityProviderRequest');

function isEmpty(value: unknown): boolean {
  return (
    value === false ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && Object.values(value).every(isEmpty))
  );
}

/**
 * Whether what the document declares holds of what is stored: members it does not name are not
 * compared (they keep Cognito's defaults), lists of values compare as sets (Cognito does not keep
 * their order), and an absent stored value equals an empty or false declared one.
 */
export function holds(declared: unknown, actual: unknown): boolean {
  if (actual === undefined || actual === null) return declared === undefined || declared === null || isEmpty(declared);
  if (Array.isArray(declared)) {
    if (!Array.isArray(actual) || actual.length !== declared.length) return false;
    if (declared.every((d) => typeof d !== 'object')) {
      return declared.every((d) => actual.includes(d)) && actual.every((a) => declared.includes(a));
    }
    return declared.every((d, i) => holds(d, actual[i]));
  }
  if (typeof declared === 'object' && declared !== null) {
    if (typeof actual !== 'object') return false;
    return Object.entries(declared).every(([key, value]) => holds(value, (actual as Members)[key]));
  }
  return declared === actual;
}

/** Every page of a List operation, with its paging member names. */
async function listAll(call: Call, operation: string, input: Members, items: string, token: string, limit: Members): Promise<Members[]> {
  const all: Members[] = [];
  let next: unknown;
  do {
    const output = await call(operation, { ...input, ...limit, ...(next === undefined ? {} : { [token]: next }) });
    all.push(...((output[items] as Members[] | undefined) ?? []));
    next = output[token];
  } while (next !== undefined && next !== null && next !== '');
  return all;
}

interface Planning {
  call: Call;
  /** Cognito Identity's operations, for identity pools. */
  callIdentity: Call;
  pinClientId: PinClientId;
  prune: boolean;
  problems: string[];
  steps: Step[];
  outputs: Output[];
}

function problem(planning: Planning, path: DocumentPath, message: string): void {
  planning.problems.push(`${formatPath(path)}: ${message}`);
}

/**
 * Plans a document against what is stored, reading it through the operations, and checks every
 * change can be made before any is: a member fixed at creation that differs, an ambiguous name,
 * a fixed client ID taken elsewhere. Throws a PlanError listing them all.
 */
export async function planDocument(
  document: ApplyDocument,
  options: { call: Call; callIdentity: Call; pinClientId: PinClientId; prune: boolean },
): Promise<Plan> {
  const planning: Planning = { ...options, problems: [], steps: [], outputs: [] };
  const { call } = options;
  const pools = await listAll(call, 'ListUserPools', {}, 'UserPools', 'NextToken', { MaxResults: 60 });
  const declaredNames = new Set(document.pools.map((p) => p.settings.PoolName));
  for (const pool of document.pools) {
    const matching = pools.filter((p) => p['Name'] === pool.settings.PoolName);
    if (matching.length > 1) {
      problem(
        planning,
        [...pool.path, 'PoolName'],
        `${matching.length} pools are named '${pool.settings.PoolName}' (${matching.map((p) => String(p['Id'])).join(', ')}); names identify pools`,
      );
      continue;
    }
    await planPool(planning, pool, matching[0]?.['Id'] as string | undefined);
  }
  if (options.prune) {
    pruneUndeclared(planning, call, pools, declaredNames, {
      kind: 'UserPool',
      name: 'Name',
      id: 'Id',
      delete: 'DeleteUserPool',
      idInput: 'UserPoolId',
    });
  }
  await planIdentityPools(planning, document);
  if (planning.problems.length > 0) throw new PlanError(planning.problems);
  return { steps: planning.steps, outputs: planning.outputs };
}

/** A user pool being planned, as its children's planners need it. */
interface PoolPlan {
  pool: DeclaredPool;
  /** The stored pool's ID; undefined when the plan creates it. */
  existingId: string | undefined;
  /** The pool's ID once its steps have run (a created pool's only then). */
  id: () => string;
  /** Its children's steps, put in order after them all are planned. */
  steps: Step[];
}

async function planPool(planning: Planning, pool: DeclaredPool, existingId: string | undefined): Promise<void> {
  const { call } = planning;
  const name = pool.settings.PoolName;
  let poolId = existingId ?? '';
  const id = (): string => poolId;
  planning.outputs.push({ name, member: 'UserPoolId', value: id });
  const children: Step[] = [];
  const poolPlan: PoolPlan = { pool, existingId, id, steps: children };
  if (existingId === undefined) {
    planning.steps.push({
      action: 'create',
      kind: 'UserPool',
      name,
      run: async () => {
        const output = await call('CreateUserPool', pool.settings);
        poolId = (output['UserPool'] as Members)['Id'] as string;
      },
    });
  } else {
    const described = (await call('DescribeUserPool', { UserPoolId: existingId }))['UserPool'] as Members;
    const changed: string[] = [];
    for (const [member, value] of Object.entries(pool.settings)) {
      if (member === 'PoolName') continue;
      const actual = described[POOL_DESCRIBED_AS[member] ?? member];
      if (member === 'Schema') {
        for (const index of schemaChanges(value as Members[], actual as Members[] | undefined)) {
          const attribute = String((value as Members[])[index]!['Name']);
          problem(
            planning,
            [...pool.path, member, index],
            `schema attribute ${attribute} differs from the pool's, and Schema cannot be changed once the pool is created (pool ${existingId})`,
          );
        }
        continue;
      }
      if (holds(value, actual)) continue;
      if (POOL_FIXED.has(member))
        problem(planning, [...pool.path, member], `${member} cannot be changed once the pool is created (pool ${existingId})`);
      else changed.push(member);
    }
    if (changed.length === 0) planning.steps.push({ action: 'unchanged', kind: 'UserPool', name });
    else {
      const { PoolName: _name, ...settings } = pool.settings;
      const input: Members = { UserPoolId: existingId };
      for (const [member, value] of Object.entries(settings)) if (!POOL_FIXED.has(member)) input[member] = value;
      planning.steps.push({
        action: 'update',
        kind: 'UserPool',
        name,
        changed,
        run: async () => void (await call('UpdateUserPool', input)),
      });
    }
  }
  await planKeyedChildren(planning, poolPlan, {
    kind: 'ResourceServer',
    key: 'Identifier',
    declared: pool.resourceServers,
    list: { operation: 'ListResourceServers', items: 'ResourceServers', limit: { MaxResults: 50 } },
    create: 'CreateResourceServer',
    update: 'UpdateResourceServer',
    delete: 'DeleteResourceServer',
  });
  await planKeyedChildren(planning, poolPlan, {
    kind: 'Group',
    key: 'GroupName',
    declared: pool.groups,
    list: { operation: 'ListGroups', items: 'Groups', limit: { Limit: 60 } },
    create: 'CreateGroup',
    update: 'UpdateGroup',
    delete: 'DeleteGroup',
  });
  // Before the clients, whose SupportedIdentityProviders name them.
  await planKeyedChildren(planning, poolPlan, {
    kind: 'IdentityProvider',
    key: 'ProviderName',
    declared: pool.identityProviders,
    list: { operation: 'ListIdentityProviders', items: 'Providers', limit: { MaxResults: 60 } },
    describe: async (stored) =>
      (await call('DescribeIdentityProvider', { UserPoolId: existingId, ProviderName: stored['ProviderName'] }))[
        'IdentityProvider'
      ] as Members,
    fixed: PROVIDER_FIXED,
    create: 'CreateIdentityProvider',
    update: 'UpdateIdentityProvider',
    delete: 'DeleteIdentityProvider',
  });
  await planDomains(planning, poolPlan);
  await planClients(planning, poolPlan);
  await planUsers(planning, poolPlan);
  // Deletions first, so a pruned client no longer holds a pruned server's scopes.
  planning.steps.push(...children.filter((s) => s.action === 'delete'), ...children.filter((s) => s.action !== 'delete'));
}

/** The indexes of declared attributes the pool lacks or holds otherwise (custom ones are described with `custom:`). */
function schemaChanges(declared: readonly Members[], actual: readonly Members[] | undefined): number[] {
  return declared.flatMap((attribute, index) => {
    const stored = (actual ?? []).find((a) => a['Name'] === attribute['Name'] || a['Name'] === `custom:${String(attribute['Name'])}`);
    const { Name: _name, ...rest } = attribute;
    return stored !== undefined && holds(rest, stored) ? [] : [index];
  });
}

/**
 * How one kind of a pool's children is planned: the member that names a child within its pool, and
 * the operations that list, create, update and delete it. Groups and resource servers differ in
 * nothing else.
 */
interface KeyedChildren {
  kind: 'Group' | 'ResourceServer' | 'IdentityProvider' | 'Domain';
  key: string;
  declared: readonly { path: DocumentPath; settings: Members }[];
  /** The List operation and its paging, or how else the stored children are read. */
  list: { operation: string; items: string; limit: Members } | ((poolId: string) => Promise<Members[]>);
  /** What a listed child is compared with, when the listing shows less than its Describe operation. */
  describe?: (stored: Members) => Promise<Members>;
  /** Members Create takes and Update does not: a change to one is a problem, not an update. */
  fixed?: ReadonlySet<string>;
  create: string;
  update: string;
  delete: string;
}

/** Plans one kind of keyed children: create the missing, compare the stored, delete the undeclared with --prune. */
async function planKeyedChildren(planning: Planning, { pool, existingId, id, steps }: PoolPlan, children: KeyedChildren): Promise<void> {
  const { call } = planning;
  const { kind, key, declared, list, fixed } = children;
  const stored =
    existingId === undefined
      ? []
      : typeof list === 'function'
        ? await list(existingId)
        : await listAll(call, list.operation, { UserPoolId: existingId }, list.items, 'NextToken', list.limit);
  const nameOf = (value: unknown): string => `${pool.settings.PoolName}/${String(value)}`;
  for (const child of declared) {
    const name = nameOf(child.settings[key]);
    const listed = stored.find((s) => s[key] === child.settings[key]);
    const input = (): Members => ({ ...child.settings, UserPoolId: id() });
    if (!listed) {
      steps.push({ action: 'create', kind, name, run: async () => void (await call(children.create, input())) });
      continue;
    }
    const current = children.describe ? await children.describe(listed) : listed;
    for (const member of Object.keys(child.settings)) {
      if (fixed?.has(member) && !holds(child.settings[member], current[member])) {
        problem(planning, [...child.path, member], `${member} cannot be changed once the ${kind} is created`);
      }
    }
    const updateInput = (): Members => Object.fromEntries(Object.entries(input()).filter(([member]) => !fixed?.has(member)));
    steps.push(compare(kind, name, child.settings, current, async () => void (await call(children.update, updateInput()))));
  }
  if (planning.prune) {
    for (const current of stored.filter((s) => !declared.some((d) => d.settings[key] === s[key]))) {
      steps.push({
        action: 'delete',
        kind,
        name: nameOf(current[key]),
        run: async () => void (await call(children.delete, { UserPoolId: id(), [key]: current[key] })),
      });
    }
  }
}

/** `unchanged`, or an `update` naming the declared members that differ. */
function compare(kind: Step['kind'], name: string, declared: Members, actual: Members, run: () => Promise<void>): Step {
  const changed = Object.keys(declared).filter((member) => !holds(declared[member], actual[member]));
  return changed.length === 0 ? { action: 'unchanged', kind, name } : { action: 'update', kind, name, changed, run };
}

async function planClients(planning: Planning, { pool, existingId, id, steps }: PoolPlan): Promise<void> {
  const { call } = planning;
  const stored =
    existingId === undefined
      ? []
      : await listAll(call, 'ListUserPoolClients', { UserPoolId: existingId }, 'UserPoolClients', 'NextToken', { MaxResults: 60 });
  const kept = new Set<string>();
  for (const client of pool.clients) {
    const name = `${pool.settings.PoolName}/${client.settings.ClientName}`;
    const matching =
      client.clientId !== undefined
        ? stored.filter((c) => c['ClientId'] === client.clientId)
        : stored.filter((c) => c['ClientName'] === client.settings.ClientName);
    if (matching.length > 1) {
      problem(
        planning,
        [...client.path, 'ClientName'],
        `${matching.length} clients of the pool are named '${client.settings.ClientName}'; give ClientId to say which`,
      );
      continue;
    }
    const current = matching[0];
    if (current) kept.add(current['ClientId'] as string);
    let clientId = (current?.['ClientId'] as string | undefined) ?? client.clientId ?? '';
    planning.outputs.push({ name, member: 'ClientId', value: () => clientId });
    if (!current) {
      if (client.clientId !== undefined && (await clientIdTaken(planning, client.clientId))) {
        problem(planning, [...client.path, 'ClientId'], `client ID ${client.clientId} belongs to another pool`);
        continue;
      }
      steps.push({
        action: 'create',
        kind: 'UserPoolClient',
        name,
        run: async () => {
          const output = await call('CreateUserPoolClient', { ...client.settings, UserPoolId: id() });
          const generated = (output['UserPoolClient'] as Members)['ClientId'] as string;
          if (client.clientId !== undefined) await planning.pinClientId(id(), generated, client.clientId);
          clientId = client.clientId ?? generated;
        },
      });
      continue;
    }
    const described = (await call('DescribeUserPoolClient', { UserPoolId: existingId, ClientId: current['ClientId'] }))[
      'UserPoolClient'
    ] as Members;
    steps.push(compareClient(planning, client, described, name, id));
  }
  if (planning.prune) {
    for (const current of stored.filter((c) => !kept.has(c['ClientId'] as string))) {
      const clientId = current['ClientId'] as string;
      steps.push({
        action: 'delete',
        kind: 'UserPoolClient',
        name: `${pool.settings.PoolName}/${String(current['ClientName'])} (${clientId})`,
        run: async () => void (await call('DeleteUserPoolClient', { UserPoolId: id(), ClientId: clientId })),
      });
    }
  }
}

async function clientIdTaken(planning: Planning, clientId: string): Promise<boolean> {
  for (const pool of await listAll(planning.call, 'ListUserPools', {}, 'UserPools', 'NextToken', { MaxResults: 60 })) {
    const clients = await listAll(planning.call, 'ListUserPoolClients', { UserPoolId: pool['Id'] }, 'UserPoolClients', 'NextToken', {
      MaxResults: 60,
    });
    if (clients.some((c) => c['ClientId'] === clientId)) return true;
  }
  return false;
}

function compareClient(planning: Planning, client: DeclaredClient, described: Members, name: string, id: () => string): Step {
  const changed: string[] = [];
  for (const [member, value] of Object.entries(client.settings)) {
    if (member === 'GenerateSecret') {
      if ((value === true) !== (described['ClientSecret'] !== undefined))
        problem(planning, [...client.path, member], `GenerateSecret cannot be changed once the client is created`);
      continue;
    }
    if (holds(value, described[member])) continue;
    if (CLIENT_FIXED.has(member)) problem(planning, [...client.path, member], `${member} cannot be changed once the client is created`);
    else changed.push(member);
  }
  if (changed.length === 0) return { action: 'unchanged', kind: 'UserPoolClient', name };
  const input: Members = {};
  for (const [member, value] of Object.entries(client.settings)) if (!CLIENT_FIXED.has(member)) input[member] = value;
  const clientId = described['ClientId'] as string;
  return {
    action: 'update',
    kind: 'UserPoolClient',
    name,
    changed,
    run: async () => void (await planning.call('UpdateUserPoolClient', { ...input, UserPoolId: id(), ClientId: clientId })),
  };
}

async function planUsers(planning: Planning, { pool, existingId, id, steps }: PoolPlan): Promise<void> {
  const { call } = planning;
  // Stored usernames of the declared users: a pool whose UsernameAttributes is email stores a
  // generated username for the email the document names.
  const kept = new Set<string>();
  for (const user of pool.users) {
    const name = `${pool.settings.PoolName}/${user.username}`;
    const current = existingId === undefined ? undefined : await storedUser(call, existingId, user.username);
    if (!current) {
      steps.push({ action: 'create', kind: 'User', name, run: () => createUser(call, id(), user) });
      continue;
    }
    kept.add(current.user['Username'] as string);
    const attributes = Object.fromEntries(
      ((current.user['UserAttributes'] as Members[] | undefined) ?? []).map((a) => [a['Name'], a['Value']]),
    );
    const changedAttributes = Object.entries(user.attributes).filter(([key, value]) => attributes[key] !== value);
    const addTo = user.groups.filter((g) => !current.groups.includes(g));
    const removeFrom = current.groups.filter((g) => !user.groups.includes(g));
    const changed = [...changedAttributes.map(([key]) => `Attributes.${key}`), ...(addTo.length + removeFrom.length > 0 ? ['Groups'] : [])];
    if (changed.length === 0) {
      steps.push({ action: 'unchanged', kind: 'User', name });
      continue;
    }
    const username = current.user['Username'] as string;
    steps.push({
      action: 'update',
      kind: 'User',
      name,
      changed,
      run: async () => {
        if (changedAttributes.length > 0) {
          await call('AdminUpdateUserAttributes', {
            UserPoolId: id(),
            Username: username,
            UserAttributes: changedAttributes.map(([Name, Value]) => ({ Name, Value })),
          });
        }
        for (const group of addTo) await call('AdminAddUserToGroup', { UserPoolId: id(), Username: username, GroupName: group });
        for (const group of removeFrom) await call('AdminRemoveUserFromGroup', { UserPoolId: id(), Username: username, GroupName: group });
      },
    });
  }
  if (planning.prune && existingId !== undefined) {
    const stored = await listAll(call, 'ListUsers', { UserPoolId: existingId }, 'Users', 'PaginationToken', { Limit: 60 });
    for (const current of stored.filter((u) => !kept.has(u['Username'] as string))) {
      const username = current['Username'] as string;
      steps.push({
        action: 'delete',
        kind: 'User',
        name: `${pool.settings.PoolName}/${username}`,
        run: async () => void (await call('AdminDeleteUser', { UserPoolId: id(), Username: username })),
      });
    }
  }
}

async function storedUser(call: Call, poolId: string, username: string): Promise<{ user: Members; groups: string[] } | undefined> {
  let user: Members;
  try {
    user = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
  } catch (error) {
    if ((error as { type?: string }).type === 'UserNotFoundException') return undefined;
    throw error;
  }
  const groups = await listAll(call, 'AdminListGroupsForUser', { UserPoolId: poolId, Username: username }, 'Groups', 'NextToken', {
    Limit: 60,
  });
  return { user, groups: groups.map((g) => g['GroupName'] as string) };
}

/** A declared user: created without an invitation, with its permanent password when the document gives one. */
async function createUser(call: Call, poolId: string, user: DeclaredUser): Promise<void> {
  await call('AdminCreateUser', {
    UserPoolId: poolId,
    Username: user.username,
    MessageAction: 'SUPPRESS',
    UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  });
  if (user.password !== undefined) {
    await call('AdminSetUserPassword', { UserPoolId: poolId, Username: user.username, Password: user.password, Permanent: true });
  }
  for (const group of user.groups) await call('AdminAddUserToGroup', { UserPoolId: poolId, Username: user.username, GroupName: group });
}

/**
 * A pool's domains (at most one prefix and one custom domain): read from DescribeUserPool's
 * `Domain` and `CustomDomain`, compared with DescribeUserPoolDomain. A name another pool holds, or
 * a second domain of a kind the pool has and the file does not prune, is a problem before anything
 * changes.
 */
async function planDomains(planning: Planning, poolPlan: PoolPlan): Promise<void> {
  const { call } = planning;
  const { pool, existingId } = poolPlan;
  const describe = async (domain: unknown): Promise<Members> =>
    ((await call('DescribeUserPoolDomain', { Domain: domain }))['DomainDescription'] as Members | undefined) ?? {};
  const storedOf = async (poolId: string): Promise<Members[]> => {
    const described = (await call('DescribeUserPool', { UserPoolId: poolId }))['UserPool'] as Members;
    const names = [described['Domain'], described['CustomDomain']].filter((d) => typeof d === 'string');
    return Promise.all(names.map(describe));
  };
  const stored = existingId === undefined ? [] : await storedOf(existingId);
  const isCustom = (domain: Members): boolean => domain['CustomDomainConfig'] !== undefined && domain['CustomDomainConfig'] !== null;
  for (const domain of pool.domains) {
    if (stored.some((s) => s['Domain'] === domain.settings.Domain)) continue;
    const holder = (await describe(domain.settings.Domain))['UserPoolId'];
    if (typeof holder === 'string') {
      problem(planning, [...domain.path, 'Domain'], `domain ${domain.settings.Domain} belongs to another user pool (${holder})`);
      continue;
    }
    const sameKind = stored.find((s) => isCustom(s) === isCustom(domain.settings));
    if (sameKind && !planning.prune) {
      problem(
        planning,
        [...domain.path, 'Domain'],
        `the pool already has the ${isCustom(domain.settings) ? 'custom' : 'prefix'} domain ${String(sameKind['Domain'])} and holds one of each kind; --prune replaces it`,
      );
    }
  }
  await planKeyedChildren(planning, poolPlan, {
    kind: 'Domain',
    key: 'Domain',
    declared: pool.domains,
    list: async () => stored,
    create: 'CreateUserPoolDomain',
    update: 'UpdateUserPoolDomain',
    delete: 'DeleteUserPoolDomain',
  });
}

/** The Cognito Identity provider name of a user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
function userPoolProviderName(poolId: string): string {
  return `cognito-idp.${poolId.slice(0, poolId.indexOf('_'))}.amazonaws.com/${poolId}`;
}

/** An identity pool's CreateIdentityPool input, with its references to the document's clients resolved to IDs. */
function identityPoolInput(planning: Planning, pool: DeclaredIdentityPool): Members {
  const output = (name: string, member: Output['member']): string =>
    planning.outputs.find((o) => o.name === name && o.member === member)?.value() ?? '';
  const providers = pool.settings['CognitoIdentityProviders'];
  if (!Array.isArray(providers)) return { ...pool.settings };
  const resolved = (providers as Members[]).map((provider, index) => {
    const reference = pool.references[index];
    if (!reference) return provider;
    const { UserPool: _pool, Client: _client, ...rest } = provider;
    const clientId = reference.client === undefined ? undefined : output(`${reference.userPool}/${reference.client}`, 'ClientId');
    return {
      ...rest,
      ProviderName: userPoolProviderName(output(reference.userPool, 'UserPoolId')),
      ...(clientId === undefined ? {} : { ClientId: clientId }),
    };
  });
  return { ...pool.settings, CognitoIdentityProviders: resolved };
}

/**
 * Identity pools, by IdentityPoolName, after the user pools whose clients they name: created,
 * updated in place (UpdateIdentityPool, which replaces every setting, so it is sent all the file
 * declares), their Roles and RoleMappings set with SetIdentityPoolRoles; with --prune, identity
 * pools the file does not declare are deleted, when it has IdentityPools at all.
 */
async function planIdentityPools(planning: Planning, document: ApplyDocument): Promise<void> {
  const call = planning.callIdentity;
  if (document.identityPools.length === 0 && !(planning.prune && document.declaresIdentityPools)) return;
  const stored = await listAll(call, 'ListIdentityPools', {}, 'IdentityPools', 'NextToken', { MaxResults: 60 });
  for (const pool of document.identityPools) {
    const name = pool.settings.IdentityPoolName;
    const matching = stored.filter((p) => p['IdentityPoolName'] === name);
    if (matching.length > 1) {
      problem(
        planning,
        [...pool.path, 'IdentityPoolName'],
        `${matching.length} identity pools are named '${name}'; names identify identity pools`,
      );
      continue;
    }
    let identityPoolId = (matching[0]?.['IdentityPoolId'] as string | undefined) ?? '';
    planning.outputs.push({ name, member: 'IdentityPoolId', value: () => identityPoolId });
    const setRoles = async (): Promise<void> => {
      if (pool.roles) await call('SetIdentityPoolRoles', { IdentityPoolId: identityPoolId, ...pool.roles });
    };
    if (identityPoolId === '') {
      planning.steps.push({
        action: 'create',
        kind: 'IdentityPool',
        name,
        run: async () => {
          identityPoolId = (await call('CreateIdentityPool', identityPoolInput(planning, pool)))['IdentityPoolId'] as string;
          await setRoles();
        },
      });
      continue;
    }
    const described = await call('DescribeIdentityPool', { IdentityPoolId: identityPoolId });
    const roles = await call('GetIdentityPoolRoles', { IdentityPoolId: identityPoolId });
    const declared = identityPoolInput(planning, pool);
    const changed = Object.keys(declared).filter((member) => !holds(declared[member], described[member]));
    const rolesChanged = pool.roles !== undefined && !holds(pool.roles, roles);
    if (rolesChanged) changed.push(...Object.keys(pool.roles!));
    if (changed.length === 0) {
      planning.steps.push({ action: 'unchanged', kind: 'IdentityPool', name });
      continue;
    }
    planning.steps.push({
      action: 'update',
      kind: 'IdentityPool',
      name,
      changed,
      run: async () => {
        if (changed.some((m) => m !== 'Roles' && m !== 'RoleMappings')) {
          await call('UpdateIdentityPool', { IdentityPoolId: identityPoolId, ...identityPoolInput(planning, pool) });
        }
        if (rolesChanged) await setRoles();
      },
    });
  }
  if (planning.prune && document.declaresIdentityPools) {
    const declaredNames = new Set(document.identityPools.map((p) => p.settings.IdentityPoolName));
    pruneUndeclared(planning, call, stored, declaredNames, {
      kind: 'IdentityPool',
      name: 'IdentityPoolName',
      id: 'IdentityPoolId',
      delete: 'DeleteIdentityPool',
      idInput: 'IdentityPoolId',
    });
  }
}

/**
 * With --prune: a delete step for each stored top-level resource (a user pool, an identity pool)
 * whose name the document does not declare. `name` and `id` are its listing's members; `idInput`
 * is the member its Delete operation takes the ID in.
 */
function pruneUndeclared(
  planning: Planning,
  call: Call,
  stored: readonly Members[],
  declared: ReadonlySet<string>,
  kind: { kind: 'UserPool' | 'IdentityPool'; name: string; id: string; delete: string; idInput: string },
): void {
  for (const current of stored.filter((s) => !declared.has(s[kind.name] as string))) {
    const id = current[kind.id] as string;
    planning.steps.push({
      action: 'delete',
      kind: kind.kind,
      name: `${String(current[kind.name])} (${id})`,
      run: async () => void (await call(kind.delete, { [kind.idInput]: id })),
    });
  }
}
