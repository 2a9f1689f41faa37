import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { shapes } from '../generated/cognito-idp/schema.js';
import { shapes as identityShapes } from '../generated/cognito-identity/schema.js';
import { MemberTypeError, validateInput } from '../api/validate.js';
import type { ShapeSchema } from '../api/schema-types.js';

/** A place in the document: `['UserPools', 0, 'Clients', 1, 'ExplicitAuthFlows']`. */
export type DocumentPath = readonly (string | number)[];

type Members = Record<string, unknown>;

export interface DeclaredClient {
  path: DocumentPath;
  /** A fixed client ID (tests pin it); Cognate generates one when absent. */
  clientId: string | undefined;
  /** CreateUserPoolClient's members, without UserPoolId and ClientId. */
  settings: Members & { ClientName: string };
}

export interface DeclaredGroup {
  path: DocumentPath;
  settings: Members & { GroupName: string };
}

export interface DeclaredResourceServer {
  path: DocumentPath;
  settings: Members & { Identifier: string; Name: string };
}

export interface DeclaredDomain {
  path: DocumentPath;
  /** CreateUserPoolDomain's members, without UserPoolId. */
  settings: Members & { Domain: string };
}

export interface DeclaredIdentityProvider {
  path: DocumentPath;
  /** CreateIdentityProvider's members, without UserPoolId. */
  settings: Members & { ProviderName: string };
}

export interface DeclaredUser {
  path: DocumentPath;
  username: string;
  /** A permanent password, set when the user is created only. */
  password: string | undefined;
  attributes: Readonly<Record<string, string>>;
  groups: readonly string[];
}

export interface DeclaredPool {
  path: DocumentPath;
  /** CreateUserPool's members. */
  settings: Members & { PoolName: string };
  clients: DeclaredClient[];
  groups: DeclaredGroup[];
  resourceServers: DeclaredResourceServer[];
  domains: DeclaredDomain[];
  identityProviders: DeclaredIdentityProvider[];
  users: DeclaredUser[];
}

/**
 * A user pool app client of the document, named where an identity pool's CognitoIdentityProviders
 * entry would need IDs not known before applying: `{ UserPool: <PoolName>, Client: <ClientName> }`.
 */
export interface ClientReference {
  userPool: string;
  client: string | undefined;
}

export interface DeclaredIdentityPool {
  path: DocumentPath;
  /**
   * CreateIdentityPool's members; a CognitoIdentityProviders entry may be a {@link ClientReference}
   * (in `references`, at the same index) in place of ProviderName and ClientId.
   */
  settings: Members & { IdentityPoolName: string };
  references: (ClientReference | undefined)[];
  /** SetIdentityPoolRoles' Roles and RoleMappings, when the document declares them. */
  roles: { Roles: Record<string, string>; RoleMappings?: Members } | undefined;
}

export interface ApplyDocument {
  pools: DeclaredPool[];
  identityPools: DeclaredIdentityPool[];
  /** Whether the document has IdentityPools at all: `--prune` deletes undeclared identity pools only then. */
  declaresIdentityPools: boolean;
}

/** Every problem of a document, each with its line (when known) and path. */
export class DocumentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the document:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** `UserPools[0].Clients[1].ExplicitAuthFlows` */
export function formatPath(path: DocumentPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Members a resource's entry holds besides its Create operation's. */
const POOL_CHILDREN = ['Clients', 'Groups', 'ResourceServers', 'Domains', 'IdentityProviders', 'Users'] as const;
const ROOT_MEMBERS = ['UserPools', 'IdentityPools'];
/** Members an identity pool's entry holds besides CreateIdentityPool's: SetIdentityPoolRoles'. */
const IDENTITY_POOL_ROLES = ['Roles', 'RoleMappings'] as const;
const USER_MEMBERS = ['Username', 'Password', 'Attributes', 'Groups'] as const;
/** Stands in for the pool ID the child resources' Create operations take, so their shapes validate. */
const PLACEHOLDER_POOL_ID = 'us-east-1_apply';
/** Stand in for an identity pool's ID and a referenced client, so their shapes validate. */
const PLACEHOLDER_IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-000000000000';
const PLACEHOLDER_CLIENT_ID = 'placeholderclientid0000000';
/** Cognito's generated client IDs: 26 lowercase letters and digits. */
const CLIENT_ID = /^[a-z0-9]{26}$/;

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRecord(value: unknown): value is Members {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and checks an apply document (YAML, or JSON, which YAML reads too) before anything is
 * planned: unknown members anywhere, and each resource against its Create operation's input shape
 * with the model's own validator. Throws a DocumentError listing every problem found.
 */
export function parseApplyDocument(text: string, fileName: string): ApplyDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new DocumentError(doc.errors.map((e) => `${fileName}:${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]!}`));
  }
  const problems: string[] = [];
  const report = (path: DocumentPath, message: string): void => {
    const line = lineOf(doc, lineCounter, path);
    problems.push(`${fileName}${line === undefined ? '' : `:${line}`}: ${formatPath(path) || '(document)'}: ${message}`);
  };
  const document = readApplyDocument(doc.toJS(), report);
  if (problems.length > 0) throw new DocumentError(problems);
  return document;
}

/**
 * Reads a document already parsed into plain values (by parseApplyDocument, or translated from a
 * CloudFormation template), reporting each problem at its document path.
 */
export function readApplyDocument(root: unknown, report: Report): ApplyDocument {
  const pools: DeclaredPool[] = [];
  const identityPools: DeclaredIdentityPool[] = [];
  let declaresIdentityPools = false;
  if (!isRecord(root)) {
    report([], 'expected a mapping with UserPools');
  } else {
    for (const key of Object.keys(root))
      if (!ROOT_MEMBERS.includes(key)) report([key], 'unknown member (expected UserPools, IdentityPools)');
    const declared = root['UserPools'];
    // Required, so that an empty document applied with --prune cannot delete every pool by accident.
    if (!Array.isArray(declared)) report(declared === undefined ? [] : ['UserPools'], 'expected a list of user pools at UserPools');
    if (Array.isArray(declared)) {
      declared.forEach((entry, index) => {
        const pool = readPool(entry, ['UserPools', index], report);
        if (pool) pools.push(pool);
      });
      unique(pools, (p) => p.settings.PoolName, 'PoolName', report);
    }
    declaresIdentityPools = root['IdentityPools'] !== undefined;
    listOf(root['IdentityPools'], ['IdentityPools'], report).forEach((entry, index) => {
      const identityPool = readIdentityPool(entry, ['IdentityPools', index], pools, report);
      if (identityPool) identityPools.push(identityPool);
    });
    unique(identityPools, (p) => p.settings.IdentityPoolName, 'IdentityPoolName', report);
  }
  return { pools, identityPools, declaresIdentityPools };
}

export type Report = (path: DocumentPath, message: string) => void;

/** The line of the deepest node on `path` that exists (a missing member is reported at its parent). */
export function lineOf(doc: Document, lineCounter: LineCounter, path: DocumentPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : (doc.getIn(path.slice(0, length), true) as Node | undefined);
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      // A member's value is on its key's line (or, for a nested mapping, starts on the next one).
      return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

/** Reports entries of a list that share a name. */
function unique<T extends { path: DocumentPath }>(items: readonly T[], nameOf: (item: T) => string, member: string, report: Report): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item);
    const first = seen.get(name);
    if (first) report([...item.path, member], `'${name}' is declared twice (also at ${formatPath(first.path)})`);
    else seen.set(name, item);
  }
}

/** Members not in the shape, at any depth (the model's validator ignores them, as AWS does; a file should not). */
function unknownMembers(
  shapeName: string,
  value: unknown,
  path: DocumentPath,
  report: Report,
  allowed: readonly string[] = [],
  schema: Readonly<Record<string, ShapeSchema>> = shapes,
): void {
  const shape: ShapeSchema | undefined = schema[shapeName];
  if (!shape) return;
  if (shape.type === 'structure' && isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (allowed.includes(key)) continue;
      if (!Object.hasOwn(shape.members, key)) report([...path, key], `unknown member of ${shapeName.replace(/Request$/, '')}`);
      else unknownMembers(shape.members[key]!, item, [...path, key], report, [], schema);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, index) => unknownMembers(shape.member, item, [...path, index], report, [], schema));
  } else if (shape.type === 'map' && isRecord(value)) {
    for (const [key, item] of Object.entries(value)) unknownMembers(shape.value, item, [...path, key], report, [], schema);
  }
}

/** The validator's member path (`schema.1.member.name`) as the document's (`Schema[0].Name`). */
function documentPath(base: DocumentPath, validatorPath: string): DocumentPath {
  const parts = validatorPath === '' ? [] : validatorPath.split('.');
  const path: (string | number)[] = [...base];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && parts[i + 1] === 'member') {
      path.push(Number(part) - 1);
      i++;
    } else if (i === parts.length - 2 && (parts[i + 1] === 'key' || parts[i + 1] === 'value') && i > 0) {
      // A map's entry (`roles.authenticated.value`): the key as written, not a member name.
      path.push(part);
      i++;
    } else {
      path.push(upperFirst(part));
    }
  }
  return path;
}

/** The model's validator over one resource's Create input; its problems reported at their document paths. */
function validateAgainst(
  shapeName: string,
  input: Members,
  path: DocumentPath,
  report: Report,
  rename: (p: DocumentPath) => DocumentPath = (p) => p,
  schema: Readonly<Record<string, ShapeSchema>> = shapes,
): void {
  let problems: string[];
  try {
    problems = validateInput(schema, shapeName, input);
  } catch (error) {
    if (!(error instanceof MemberTypeError)) throw error;
    report(rename(documentPath(path, error.memberPath)), `wrong type: ${error.message}`);
    return;
  }
  for (const problem of problems) {
    const match = /at '([^']*)' failed to satisfy constraint: (.*)$/.exec(problem);
    if (match) report(rename(documentPath(path, match[1]!)), match[2]!);
    else report(path, problem);
  }
}

function listOf(value: unknown, path: DocumentPath, report: Report): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  report(path, 'expected a list');
  return [];
}

function readPool(entry: unknown, path: DocumentPath, report: Report): DeclaredPool | undefined {
  if (!isRecord(entry)) {
    report(path, 'expected a mapping of CreateUserPool members');
    return undefined;
  }
  const settings: Members = {};
  for (const [key, value] of Object.entries(entry)) if (!(POOL_CHILDREN as readonly string[]).includes(key)) settings[key] = value;
  unknownMembers('CreateUserPoolRequest', settings, path, report);
  validateAgainst('CreateUserPoolRequest', settings, path, report);
  const clients = listOf(entry['Clients'], [...path, 'Clients'], report).flatMap((item, index) => {
    const client = readClient(item, [...path, 'Clients', index], report);
    return client ? [client] : [];
  });
  const groups = listOf(entry['Groups'], [...path, 'Groups'], report).flatMap((item, index) => {
    const itemPath = [...path, 'Groups', index];
    if (!isRecord(item)) return (report(itemPath, 'expected a mapping of CreateGroup members'), []);
    unknownMembers('CreateGroupRequest', item, itemPath, report);
    validateAgainst('CreateGroupRequest', { ...item, UserPoolId: PLACEHOLDER_POOL_ID }, itemPath, report);
    return typeof item['GroupName'] === 'string' ? [{ path: itemPath, settings: item as DeclaredGroup['settings'] }] : [];
  });
  const resourceServers = listOf(entry['ResourceServers'], [...path, 'ResourceServers'], report).flatMap((item, index) => {
    const itemPath = [...path, 'ResourceServers', index];
    if (!isRecord(item)) return (report(itemPath, 'expected a mapping of CreateResourceServer members'), []);
    unknownMembers('CreateResourceServerRequest', item, itemPath, report);
    validateAgainst('CreateResourceServerRequest', { ...item, UserPoolId: PLACEHOLDER_POOL_ID }, itemPath, report);
    return typeof item['Identifier'] === 'string' ? [{ path: itemPath, settings: item as DeclaredResourceServer['settings'] }] : [];
  });
  const domains = poolChildren(entry, path, 'Domains', 'CreateUserPoolDomain', 'Domain', report);
  const identityProviders = poolChildren(entry, path, 'IdentityProviders', 'CreateIdentityProvider', 'ProviderName', report);
  const groupNames = new Set(groups.map((g) => g.settings.GroupName));
  const users = listOf(entry['Users'], [...path, 'Users'], report).flatMap((item, index) => {
    const user = readUser(item, [...path, 'Users', index], groupNames, report);
    return user ? [user] : [];
  });
  unique(clients, (c) => c.clientId ?? c.settings.ClientName, 'ClientName', report);
  unique(groups, (g) => g.settings.GroupName, 'GroupName', report);
  unique(resourceServers, (s) => s.settings.Identifier, 'Identifier', report);
  unique(domains, (d) => d.settings.Domain, 'Domain', report);
  unique(identityProviders, (p) => p.settings.ProviderName, 'ProviderName', report);
  unique(users, (u) => u.username, 'Username', report);
  if (typeof settings['PoolName'] !== 'string') return undefined;
  return { path, settings: settings as DeclaredPool['settings'], clients, groups, resourceServers, domains, identityProviders, users };
}

/** A pool's children of one kind, each checked against its Create operation (`operation`), named by `key`. */
function poolChildren<K extends string>(
  entry: Members,
  path: DocumentPath,
  member: string,
  operation: string,
  key: K,
  report: Report,
): { path: DocumentPath; settings: Members & Record<K, string> }[] {
  return listOf(entry[member], [...path, member], report).flatMap((item, index) => {
    const itemPath = [...path, member, index];
    if (!isRecord(item)) return (report(itemPath, `expected a mapping of ${operation} members`), []);
    if ('UserPoolId' in item) report([...itemPath, 'UserPoolId'], 'the pool is the one it is declared in');
    unknownMembers(`${operation}Request`, item, itemPath, report);
    validateAgainst(`${operation}Request`, { ...item, UserPoolId: PLACEHOLDER_POOL_ID }, itemPath, report);
    return typeof item[key] === 'string' ? [{ path: itemPath, settings: item as Members & Record<K, string> }] : [];
  });
}

/**
 * An identity pool: CreateIdentityPool's members, with Roles and RoleMappings (SetIdentityPoolRoles),
 * checked against Cognito Identity's shapes; a CognitoIdentityProviders entry may name a user pool
 * and client of the document (`UserPool`, `Client`) instead of their IDs.
 */
function readIdentityPool(
  entry: unknown,
  path: DocumentPath,
  pools: readonly DeclaredPool[],
  report: Report,
): DeclaredIdentityPool | undefined {
  if (!isRecord(entry)) {
    report(path, 'expected a mapping of CreateIdentityPool members');
    return undefined;
  }
  const settings: Members = {};
  for (const [key, value] of Object.entries(entry)) if (!(IDENTITY_POOL_ROLES as readonly string[]).includes(key)) settings[key] = value;
  const references: (ClientReference | undefined)[] = [];
  const providersPath = [...path, 'CognitoIdentityProviders'];
  const providers = listOf(settings['CognitoIdentityProviders'], providersPath, report).map((provider, index) => {
    if (!isRecord(provider) || (provider['UserPool'] === undefined && provider['Client'] === undefined)) {
      references.push(undefined);
      return provider;
    }
    const { UserPool: userPool, Client: client, ...rest } = provider;
    const reference = readReference(userPool, client, [...providersPath, index], pools, report);
    references.push(reference);
    for (const member of ['ProviderName', 'ClientId']) {
      if (member in rest) report([...providersPath, index, member], `give either UserPool and Client or ${member}, not both`);
    }
    // Stand-ins, so the entry validates as the IDs it will resolve to.
    return { ...rest, ProviderName: `cognito-idp.us-east-1.amazonaws.com/${PLACEHOLDER_POOL_ID}`, ClientId: PLACEHOLDER_CLIENT_ID };
  });
  const checked = settings['CognitoIdentityProviders'] === undefined ? settings : { ...settings, CognitoIdentityProviders: providers };
  unknownMembers('CreateIdentityPoolInput', checked, path, report, [], identityShapes);
  validateAgainst('CreateIdentityPoolInput', checked, path, report, undefined, identityShapes);
  let roles: DeclaredIdentityPool['roles'];
  if (entry['Roles'] !== undefined || entry['RoleMappings'] !== undefined) {
    const declared = { Roles: entry['Roles'], ...(entry['RoleMappings'] === undefined ? {} : { RoleMappings: entry['RoleMappings'] }) };
    unknownMembers('SetIdentityPoolRolesInput', declared, path, report, [], identityShapes);
    validateAgainst(
      'SetIdentityPoolRolesInput',
      { ...declared, IdentityPoolId: PLACEHOLDER_IDENTITY_POOL_ID },
      path,
      report,
      undefined,
      identityShapes,
    );
    roles = declared as DeclaredIdentityPool['roles'];
  }
  if (typeof settings['IdentityPoolName'] !== 'string') return undefined;
  return { path, settings: settings as DeclaredIdentityPool['settings'], references, roles };
}

function readReference(
  userPool: unknown,
  client: unknown,
  path: DocumentPath,
  pools: readonly DeclaredPool[],
  report: Report,
): ClientReference | undefined {
  if (typeof userPool !== 'string') {
    report([...path, 'UserPool'], 'expected the PoolName of a user pool of this document');
    return undefined;
  }
  const pool = pools.find((p) => p.settings.PoolName === userPool);
  if (!pool) {
    report([...path, 'UserPool'], `user pool '${userPool}' is not declared in this document's UserPools`);
    return undefined;
  }
  if (client !== undefined && (typeof client !== 'string' || !pool.clients.some((c) => c.settings.ClientName === client))) {
    report([...path, 'Client'], `client '${String(client)}' is not declared in user pool '${userPool}'`);
    return undefined;
  }
  return { userPool, client: client as string | undefined };
}

function readClient(item: unknown, path: DocumentPath, report: Report): DeclaredClient | undefined {
  if (!isRecord(item)) {
    report(path, 'expected a mapping of CreateUserPoolClient members');
    return undefined;
  }
  const { ClientId: clientId, ...settings } = item;
  unknownMembers('CreateUserPoolClientRequest', settings, path, report);
  if ('UserPoolId' in settings) report([...path, 'UserPoolId'], 'the pool is the one the client is declared in');
  validateAgainst('CreateUserPoolClientRequest', { ...settings, UserPoolId: PLACEHOLDER_POOL_ID }, path, report);
  if (clientId !== undefined && (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))) {
    report([...path, 'ClientId'], 'a fixed client ID is 26 lowercase letters and digits, as Cognito generates');
  }
  if (typeof settings['ClientName'] !== 'string') return undefined;
  return { path, clientId: typeof clientId === 'string' ? clientId : undefined, settings: settings as DeclaredClient['settings'] };
}

function readUser(item: unknown, path: DocumentPath, groupNames: ReadonlySet<string>, report: Report): DeclaredUser | undefined {
  if (!isRecord(item)) {
    report(path, 'expected a mapping with Username, Password, Attributes and Groups');
    return undefined;
  }
  for (const key of Object.keys(item)) {
    if (!(USER_MEMBERS as readonly string[]).includes(key)) report([...path, key], `unknown member of a user (${USER_MEMBERS.join(', ')})`);
  }
  const attributes = item['Attributes'] ?? {};
  if (!isRecord(attributes)) report([...path, 'Attributes'], 'expected a mapping of attribute names to values');
  const names = isRecord(attributes) ? Object.keys(attributes) : [];
  // Attributes are checked as AdminCreateUser's UserAttributes, and reported under Attributes.<name>.
  const rename = (p: DocumentPath): DocumentPath =>
    p[path.length] === 'UserAttributes' && typeof p[path.length + 1] === 'number'
      ? [...path, 'Attributes', names[p[path.length + 1] as number] ?? '?']
      : p;
  const userAttributes = names.map((name) => ({ Name: name, Value: (attributes as Members)[name] }));
  validateAgainst(
    'AdminCreateUserRequest',
    { UserPoolId: PLACEHOLDER_POOL_ID, Username: item['Username'], UserAttributes: userAttributes },
    path,
    report,
    rename,
  );
  const password = item['Password'];
  if (password !== undefined) {
    validateAgainst(
      'AdminSetUserPasswordRequest',
      { UserPoolId: PLACEHOLDER_POOL_ID, Username: 'user', Password: password, Permanent: true },
      path,
      report,
    );
  }
  const groups = listOf(item['Groups'], [...path, 'Groups'], report);
  groups.forEach((group, index) => {
    if (typeof group !== 'string') report([...path, 'Groups', index], 'expected a group name');
    else if (!groupNames.has(group)) report([...path, 'Groups', index], `group '${group}' is not declared in this pool's Groups`);
  });
  if (typeof item['Username'] !== 'string') return undefined;
  return {
    path,
    username: item['Username'],
    password: typeof password === 'string' ? password : undefined,
    attributes: Object.fromEntries(userAttributes.map((a) => [a.Name, String(a.Value)])),
    groups: groups.filter((g): g is string => typeof g === 'string'),
  };
}
