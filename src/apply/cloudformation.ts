/**
 * AWS CloudFormation templates (what `cdk synth` writes) as apply documents: each supported
 * `AWS::Cognito::*` resource becomes the apply document's entry for it, its intrinsic functions
 * resolved, and the template's Outputs are evaluated once the document is applied.
 *
 * Resource properties are Cognito's own operation members (the CloudFormation resource reference
 * names them after the Create operation's input), so a translated entry is checked by the same
 * model validator as a hand-written document; the differences are renamed here (UserPoolName is
 * CreateUserPool's PoolName, a user's UserAttributes list is the document's Attributes mapping).
 * References between resources of the template follow its structure: a client whose UserPoolId is
 * `Ref` to a pool of the template is declared in that pool.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { formatPath, lineOf, type DocumentPath } from './document.js';

type Members = Record<string, unknown>;

/** The value of a resource attribute that only exists once the document is applied (a generated ID). */
export class Deferred {
  constructor(
    /** What it refers to, for messages: `Ref MyPool`, `Fn::GetAtt MyClient.ClientSecret`. */
    readonly description: string,
    readonly evaluate: (attributes: AttributeReader) => Promise<string>,
  ) {}
}

/** Reads an applied resource's attribute: `Ref` when attribute is undefined. */
export type AttributeReader = (logicalId: string, attribute: string | undefined) => Promise<string>;

/** Where a translated resource came from, to report the document's problems at the template's lines. */
interface Origin {
  documentPath: DocumentPath;
  templatePath: DocumentPath;
}

/** The template's user pools and their members, by logical ID, for the outputs after applying. */
export interface TemplateResource {
  type: string;
  /** The pool a child resource belongs to. */
  poolLogicalId?: string;
  /** The name the apply document gives it: PoolName, ClientName, GroupName, Identifier or Username. */
  name: string;
}

export interface TemplateOutput {
  name: string;
  value: unknown;
}

export interface Translation {
  /** The apply document, as parseApplyDocument reads one. */
  document: Members;
  resources: ReadonlyMap<string, TemplateResource>;
  outputs: readonly TemplateOutput[];
  /** Resource types and intrinsics Cognate does not apply: refused unless the apply is partial. */
  unsupported: readonly string[];
  /** Problems with the template itself: always refused. */
  problems: readonly string[];
  /** A problem of the translated document, reported at its template path and line. */
  reportAt(path: DocumentPath, message: string): string;
}

export interface TemplateContext {
  region: string;
  accountId: string;
  stackName: string;
}

const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  GetAZs: 'Fn::GetAZs',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Condition: 'Condition',
};

/** YAML templates write intrinsics in short form (`!Ref Pool`); each is read as its long form. */
const CUSTOM_TAGS = Object.entries(SHORT_FORMS).flatMap(([short, long]) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${short}`,
    ...(collection === 'scalar' ? {} : { collection }),
    resolve: (value: unknown) => ({
      [long]:
        collection === 'scalar'
          ? short === 'GetAtt'
            ? String(value).split(/\.(.*)/s, 2)
            : value
          : (value as { toJSON(): unknown }).toJSON(),
    }),
  })),
);

function isRecord(value: unknown): value is Members {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parsed document is a template when its Resources hold typed resources, as CloudFormation's do. */
export function isTemplate(root: unknown): boolean {
  if (!isRecord(root)) return false;
  if ('AWSTemplateFormatVersion' in root) return true;
  const resources = root['Resources'];
  return isRecord(resources) && Object.values(resources).some((r) => isRecord(r) && typeof r['Type'] === 'string');
}

/** Parses a template's text, YAML (short-form intrinsics included) or JSON, keeping its lines. */
export function parseTemplateText(text: string): { root: unknown; doc: Document; lineCounter: LineCounter; errors: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, customTags: CUSTOM_TAGS });
  const errors = doc.errors.map((e) => `${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]!}`);
  return { root: errors.length > 0 ? undefined : doc.toJS(), doc, lineCounter, errors };
}

/** Resource types applied, and the apply document list each becomes part of. */
const POOL = 'AWS::Cognito::UserPool';
const CHILD_LISTS: Record<string, { list: string; nameMember: string }> = {
  'AWS::Cognito::UserPoolClient': { list: 'Clients', nameMember: 'ClientName' },
  'AWS::Cognito::UserPoolGroup': { list: 'Groups', nameMember: 'GroupName' },
  'AWS::Cognito::UserPoolResourceServer': { list: 'ResourceServers', nameMember: 'Identifier' },
  'AWS::Cognito::UserPoolUser': { list: 'Users', nameMember: 'Username' },
  'AWS::Cognito::UserPoolDomain': { list: 'Domains', nameMember: 'Domain' },
  'AWS::Cognito::UserPoolIdentityProvider': { list: 'IdentityProviders', nameMember: 'ProviderName' },
};
const GROUP_ATTACHMENT = 'AWS::Cognito::UserPoolUserToGroupAttachment';
const IDENTITY_POOL = 'AWS::Cognito::IdentityPool';
const ROLE_ATTACHMENT = 'AWS::Cognito::IdentityPoolRoleAttachment';
/** An IAM role is not created, but its ARN is known from the template: a role ARN no role defines gets Cognito's standard trust. */
const IAM_ROLE = 'AWS::IAM::Role';
/** AWS::Cognito::IdentityPool properties of Cognito Sync, which apply does not set. */
const SYNC_PROPERTIES = ['CognitoEvents', 'CognitoStreams', 'PushSync'];
/** AWS::Cognito::UserPool properties that are not CreateUserPool members (the MFA configuration's). */
const TEMPLATE_ONLY_POOL_PROPERTIES = ['EnabledMfas', 'WebAuthnRelyingPartyID', 'WebAuthnUserVerification'];
/** Template bookkeeping that creates nothing. */
const IGNORED_TYPES = new Set(['AWS::CDK::Metadata']);

/** What `Ref` answers for a resource whose answer is known before applying: a name the template gives. */
const REF_IS_NAME = new Set([
  'AWS::Cognito::UserPoolGroup',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::Cognito::UserPoolUser',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolIdentityProvider',
]);

/**
 * Translates a template into an apply document. Nothing is applied here; problems are collected,
 * not thrown, so that every one is reported at once.
 */
export function translateTemplate(
  root: Members,
  fileName: string,
  parsed: { doc: Document; lineCounter: LineCounter },
  context: TemplateContext,
): Translation {
  const problems: string[] = [];
  const unsupported: string[] = [];
  const origins: Origin[] = [];
  const at = (templatePath: DocumentPath): string => {
    const line = lineOf(parsed.doc, parsed.lineCounter, templatePath);
    return `${fileName}${line === undefined ? '' : `:${line}`}: ${formatPath(templatePath)}`;
  };
  const resourcesIn = isRecord(root['Resources']) ? root['Resources'] : {};
  const parameters = isRecord(root['Parameters']) ? root['Parameters'] : {};
  const resources = new Map<string, TemplateResource>();
  const pools = new Map<string, Members & { PoolName: string }>();
  const poolEntries: Members[] = [];

  const resolver = new IntrinsicResolver(context, parameters, resourcesIn, resources);
  /** A property value with its intrinsics resolved; a value known only after applying is a problem here. */
  const resolved = (value: unknown, path: DocumentPath): unknown => {
    try {
      const result = resolver.resolve(value);
      if (containsDeferred(result)) {
        problems.push(`${at(path)}: ${describeDeferred(result)} is only known once applied, and Cognate can use it only in Outputs`);
        return undefined;
      }
      return result;
    } catch (error) {
      if (!(error instanceof TemplateProblem)) throw error;
      (error.unsupported ? unsupported : problems).push(`${at(path)}: ${error.message}`);
      return undefined;
    }
  };

  // Pools first: every child resource names its pool.
  for (const [logicalId, resource] of Object.entries(resourcesIn)) {
    if (!isRecord(resource) || resource['Type'] !== POOL) continue;
    const path = ['Resources', logicalId, 'Properties'];
    const { UserPoolName: poolName, ...properties } = (resolved(resource['Properties'] ?? {}, path) ?? {}) as Members;
    for (const member of TEMPLATE_ONLY_POOL_PROPERTIES) {
      if (!(member in properties)) continue;
      unsupported.push(
        `${at([...path, member])}: not applied (Cognate sets it through SetUserPoolMfaConfig, which apply does not call yet)`,
      );
      delete properties[member];
    }
    // CloudFormation generates a name when none is given; the logical ID is the stable choice here.
    const entry = { PoolName: typeof poolName === 'string' ? poolName : logicalId, ...properties };
    origins.push({ documentPath: ['UserPools', poolEntries.length], templatePath: path });
    pools.set(logicalId, entry);
    poolEntries.push(entry);
    resources.set(logicalId, { type: POOL, name: entry.PoolName });
  }
  const poolOf = (properties: Members, path: DocumentPath): string | undefined => {
    const ref = properties['UserPoolId'];
    const target = isRecord(ref) ? (ref['Ref'] ?? refOfGetAtt(ref['Fn::GetAtt'], 'UserPoolId')) : undefined;
    if (typeof target === 'string' && pools.has(target)) return target;
    problems.push(
      `${at([...path, 'UserPoolId'])}: expected Ref to a user pool of this template (Cognate applies a template's pools with their members)`,
    );
    return undefined;
  };

  const attachments: [string, Members, string][] = [];
  /** Identity pools and their role attachments, translated once every client's name is known. */
  const identityResources: [string, Members, string][] = [];
  for (const [logicalId, resource] of Object.entries(resourcesIn)) {
    const path = ['Resources', logicalId];
    if (!isRecord(resource) || typeof resource['Type'] !== 'string') {
      problems.push(`${at(path)}: expected a resource with a Type`);
      continue;
    }
    const type = resource['Type'];
    if (type === POOL || IGNORED_TYPES.has(type)) continue;
    if ('Condition' in resource) unsupported.push(`${at([...path, 'Condition'])}: conditions are not evaluated`);
    const raw = isRecord(resource['Properties']) ? resource['Properties'] : {};
    if (type === GROUP_ATTACHMENT || type === IDENTITY_POOL || type === ROLE_ATTACHMENT) {
      (type === GROUP_ATTACHMENT ? attachments : identityResources).push([logicalId, raw, type]);
      continue;
    }
    if (type === IAM_ROLE) {
      unsupported.push(
        `${at([...path, 'Type'])}: ${type} is not created by Cognate (its ARN is used as given, with Cognito's standard trust)`,
      );
      continue;
    }
    const child = CHILD_LISTS[type];
    if (!child) {
      unsupported.push(`${at([...path, 'Type'])}: ${type} is not applied by Cognate`);
      continue;
    }
    const poolId = poolOf(raw, [...path, 'Properties']);
    if (poolId === undefined) continue;
    const { UserPoolId: _pool, ...rest } = raw;
    const properties = (resolved(rest, [...path, 'Properties']) ?? {}) as Members;
    const entry =
      type === 'AWS::Cognito::UserPoolUser' ? userEntry(properties, logicalId, at([...path, 'Properties']), unsupported) : properties;
    if (entry[child.nameMember] === undefined) entry[child.nameMember] = logicalId;
    const pool = pools.get(poolId)!;
    const list = ((pool[child.list] as Members[] | undefined) ??= []);
    origins.push({
      documentPath: ['UserPools', poolEntries.indexOf(pool), child.list, list.length],
      templatePath: [...path, 'Properties'],
    });
    list.push(entry);
    resources.set(logicalId, { type, poolLogicalId: poolId, name: String(entry[child.nameMember]) });
  }

  // A group attachment adds the group to a user the template declares, as the document lists a user's groups.
  for (const [logicalId, raw] of attachments) {
    const path = ['Resources', logicalId, 'Properties'];
    const poolId = poolOf(raw, path);
    const properties = resolved({ GroupName: raw['GroupName'], Username: raw['Username'] }, path) as Members | undefined;
    if (poolId === undefined || !properties) continue;
    const users = (pools.get(poolId)!['Users'] as Members[] | undefined) ?? [];
    const user = users.find((u) => u['Username'] === properties['Username']);
    if (!user) {
      problems.push(
        `${at([...path, 'Username'])}: user '${String(properties['Username'])}' is not an AWS::Cognito::UserPoolUser of this template's pool`,
      );
      continue;
    }
    ((user['Groups'] as unknown[] | undefined) ??= []).push(properties['GroupName']);
    resources.set(logicalId, { type: GROUP_ATTACHMENT, poolLogicalId: poolId, name: String(properties['GroupName']) });
  }

  const identityPools = translateIdentityPools(identityResources, { resourcesIn, resources, origins, unsupported, problems, at, resolved });

  const outputs: TemplateOutput[] = [];
  if (isRecord(root['Outputs'])) {
    for (const [name, output] of Object.entries(root['Outputs'])) {
      const path = ['Outputs', name, 'Value'];
      try {
        outputs.push({ name, value: resolver.resolve(isRecord(output) ? output['Value'] : undefined) });
      } catch (error) {
        if (!(error instanceof TemplateProblem)) throw error;
        (error.unsupported ? unsupported : problems).push(`${at(path)}: ${error.message}`);
      }
    }
  }

  const reportAt = (documentPath: DocumentPath, message: string): string => {
    const origin = origins
      .filter((o) => o.documentPath.every((part, index) => documentPath[index] === part))
      .sort((a, b) => b.documentPath.length - a.documentPath.length)[0];
    if (!origin) return `${fileName}: ${formatPath(documentPath) || '(template)'}: ${message}`;
    const rest = documentPath.slice(origin.documentPath.length).map((part) => (part === 'PoolName' ? 'UserPoolName' : part));
    return `${at([...origin.templatePath, ...rest])}: ${message}`;
  };
  const document = identityPools.length > 0 ? { UserPools: poolEntries, IdentityPools: identityPools } : { UserPools: poolEntries };
  return { document, resources, outputs, unsupported, problems, reportAt };
}

interface Translating {
  resourcesIn: Members;
  resources: Map<string, TemplateResource>;
  origins: Origin[];
  unsupported: string[];
  problems: string[];
  at: (templatePath: DocumentPath) => string;
  resolved: (value: unknown, path: DocumentPath) => unknown;
}

/**
 * Identity pools as the document's IdentityPools: a CognitoIdentityProviders entry whose ClientId is
 * `Ref` to a client of the template becomes `{UserPool, Client}`, resolved when applied, and an
 * IdentityPoolRoleAttachment gives its identity pool Roles and RoleMappings (keyed by their
 * IdentityProvider, as SetIdentityPoolRoles keys them).
 */
function translateIdentityPools(declared: readonly [string, Members, string][], t: Translating): Members[] {
  const entries = new Map<string, Members>();
  const list: Members[] = [];
  for (const [logicalId, raw] of declared.filter(([, , type]) => type === IDENTITY_POOL)) {
    const path = ['Resources', logicalId, 'Properties'];
    const { CognitoIdentityProviders: providers, ...rest } = raw;
    for (const member of SYNC_PROPERTIES.filter((m) => m in rest)) {
      t.unsupported.push(
        `${t.at([...path, member])}: not applied (Cognito Sync's settings are set with SetCognitoEvents and SetIdentityPoolConfiguration)`,
      );
      delete rest[member];
    }
    const entry = (t.resolved(rest, path) ?? {}) as Members;
    entry['IdentityPoolName'] ??= logicalId;
    if (Array.isArray(providers)) {
      entry['CognitoIdentityProviders'] = providers.map((provider, index) => {
        const providerPath = [...path, 'CognitoIdentityProviders', index];
        const clientRef = isRecord(provider) && isRecord(provider['ClientId']) ? provider['ClientId']['Ref'] : undefined;
        const client = typeof clientRef === 'string' ? t.resources.get(clientRef) : undefined;
        if (client?.type !== 'AWS::Cognito::UserPoolClient') return t.resolved(provider, providerPath);
        const { ClientId: _client, ProviderName: _provider, ...others } = provider as Members;
        const pool = t.resources.get(client.poolLogicalId!)!;
        return { UserPool: pool.name, Client: client.name, ...((t.resolved(others, providerPath) ?? {}) as Members) };
      });
    }
    t.origins.push({ documentPath: ['IdentityPools', list.length], templatePath: path });
    entries.set(logicalId, entry);
    list.push(entry);
    t.resources.set(logicalId, { type: IDENTITY_POOL, name: String(entry['IdentityPoolName']) });
  }
  for (const [logicalId, raw] of declared.filter(([, , type]) => type === ROLE_ATTACHMENT)) {
    const path = ['Resources', logicalId, 'Properties'];
    const ref = isRecord(raw['IdentityPoolId']) ? raw['IdentityPoolId']['Ref'] : undefined;
    const entry = typeof ref === 'string' ? entries.get(ref) : undefined;
    if (!entry) {
      t.problems.push(`${t.at([...path, 'IdentityPoolId'])}: expected Ref to an identity pool of this template`);
      continue;
    }
    const roles = t.resolved(raw['Roles'], [...path, 'Roles']);
    if (roles !== undefined) entry['Roles'] = roles;
    if (isRecord(raw['RoleMappings'])) {
      const mappings: Members = {};
      for (const [key, mapping] of Object.entries(raw['RoleMappings'])) {
        const mappingPath = [...path, 'RoleMappings', key];
        const { IdentityProvider: provider, ...rest } = (t.resolved(mapping, mappingPath) ?? {}) as Members;
        // CloudFormation keys a mapping by a name of its own and names its provider inside; the API keys it by the provider.
        if (typeof provider === 'string') mappings[provider] = rest;
        else if (provider !== undefined) t.problems.push(`${t.at([...mappingPath, 'IdentityProvider'])}: expected the provider's name`);
      }
      entry['RoleMappings'] = mappings;
    }
    t.resources.set(logicalId, { type: ROLE_ATTACHMENT, name: String(entry['IdentityPoolName']) });
  }
  return list;
}

/** AWS::Cognito::UserPoolUser's properties as the document's user: its attributes a mapping. */
function userEntry(properties: Members, logicalId: string, where: string, unsupported: string[]): Members {
  const { Username, UserAttributes, ...rest } = properties;
  for (const member of Object.keys(rest))
    unsupported.push(`${where}.${member}: not applied (users are created as AdminCreateUser does, without a message)`);
  const attributes = Array.isArray(UserAttributes)
    ? Object.fromEntries(UserAttributes.filter(isRecord).map((a) => [String(a['Name']), a['Value']]))
    : undefined;
  return { Username: Username ?? logicalId, ...(attributes ? { Attributes: attributes } : {}) };
}

function refOfGetAtt(getAtt: unknown, attribute: string): string | undefined {
  return Array.isArray(getAtt) && getAtt[1] === attribute && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** A template the translator cannot read; `unsupported` when it is valid CloudFormation Cognate does not evaluate. */
class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

function containsDeferred(value: unknown): boolean {
  if (value instanceof Deferred) return true;
  if (Array.isArray(value)) return value.some(containsDeferred);
  return isRecord(value) && Object.values(value).some(containsDeferred);
}

function describeDeferred(value: unknown): string {
  if (value instanceof Deferred) return value.description;
  const inner = (Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : []).find(containsDeferred);
  return describeDeferred(inner);
}

/** Joins strings some of which are known only after applying. */
function joinParts(parts: readonly unknown[], separator: string, description: string): string | Deferred {
  if (!parts.some((p) => p instanceof Deferred)) return parts.map(String).join(separator);
  return new Deferred(description, async (read) => {
    const values = await Promise.all(parts.map((p) => (p instanceof Deferred ? p.evaluate(read) : String(p))));
    return values.join(separator);
  });
}

/**
 * Evaluates intrinsic functions: Ref (parameters, pseudo parameters, resources), Fn::GetAtt,
 * Fn::Join, Fn::Sub, Fn::Select and Fn::Split. A generated ID is a Deferred. Conditions, mappings,
 * imports and the other functions are reported as unsupported.
 */
class IntrinsicResolver {
  constructor(
    private readonly context: TemplateContext,
    private readonly parameters: Members,
    private readonly templateResources: Members,
    private readonly translated: ReadonlyMap<string, TemplateResource>,
  ) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return this.intrinsic(keys[0]!, value[keys[0]!]);
    const result: Members = {};
    for (const [key, member] of Object.entries(value)) {
      const resolved = this.resolve(member);
      // AWS::NoValue removes the property, as CloudFormation does.
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        if (typeof argument !== 'string') throw new TemplateProblem('Ref takes the name of a parameter or resource');
        return this.ref(argument);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] =
          typeof argument === 'string' ? argument.split(/\.(.*)/s, 2) : Array.isArray(argument) ? argument : [];
        if (typeof logicalId !== 'string' || typeof attribute !== 'string')
          throw new TemplateProblem('Fn::GetAtt takes [resource, attribute]');
        return this.attribute(logicalId, attribute);
      }
      case 'Fn::Join': {
        if (!Array.isArray(argument) || typeof argument[0] !== 'string' || argument.length !== 2)
          throw new TemplateProblem('Fn::Join takes [separator, [values]]');
        const parts = this.resolve(argument[1]);
        if (!Array.isArray(parts)) throw new TemplateProblem('Fn::Join takes a list of values');
        return joinParts(
          parts,
          argument[0],
          `Fn::Join of ${parts
            .filter((p) => p instanceof Deferred)
            .map((p) => (p as Deferred).description)
            .join(', ')}`,
        );
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Select': {
        const index = Array.isArray(argument) ? Number(this.resolve(argument[0])) : NaN;
        const list = Array.isArray(argument) ? this.resolve(argument[1]) : undefined;
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length)
          throw new TemplateProblem('Fn::Select takes [index, [values]] with the index in the list');
        return list[index];
      }
      case 'Fn::Split': {
        const source = Array.isArray(argument) ? this.resolve(argument[1]) : undefined;
        if (!Array.isArray(argument) || typeof argument[0] !== 'string' || typeof source !== 'string') {
          throw new TemplateProblem(
            source instanceof Deferred
              ? `Fn::Split of ${source.description} is only known once applied`
              : 'Fn::Split takes [separator, string]',
          );
        }
        return source.split(argument[0]);
      }
      default:
        throw new TemplateProblem(`${name} is not evaluated by Cognate`, true);
    }
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return this.context.region;
      case 'AWS::AccountId':
        return this.context.accountId;
      case 'AWS::StackName':
        return this.context.stackName;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const parameter = this.parameters[name];
    if (isRecord(parameter)) {
      if (!('Default' in parameter)) throw new TemplateProblem(`parameter ${name} has no Default (Cognate takes parameters' defaults)`);
      return parameter['Default'];
    }
    const resource = this.templateResources[name];
    if (!isRecord(resource)) throw new TemplateProblem(`Ref to ${name}, which is neither a parameter nor a resource of the template`);
    const translated = this.translated.get(name);
    if (translated && REF_IS_NAME.has(translated.type)) return translated.name;
    if (resource['Type'] === IAM_ROLE) {
      // CloudFormation generates a name for a role without RoleName; its logical ID stands in here.
      const properties = isRecord(resource['Properties']) ? resource['Properties'] : {};
      return properties['RoleName'] === undefined ? name : this.resolve(properties['RoleName']);
    }
    if (REF_IS_NAME.has(String(resource['Type']))) {
      // A child not translated yet (the order of Resources is free): its name is its property, else its logical ID.
      const nameMember = CHILD_LISTS[String(resource['Type'])]!.nameMember;
      const properties = isRecord(resource['Properties']) ? resource['Properties'] : {};
      return properties[nameMember] === undefined ? name : this.resolve(properties[nameMember]);
    }
    return new Deferred(`Ref ${name}`, (read) => read(name, undefined));
  }

  private attribute(logicalId: string, attribute: string): unknown {
    const resource = this.templateResources[logicalId];
    if (!isRecord(resource)) throw new TemplateProblem(`Fn::GetAtt of ${logicalId}, which is not a resource of the template`);
    if (resource['Type'] === IAM_ROLE && attribute === 'Arn') {
      const properties = isRecord(resource['Properties']) ? resource['Properties'] : {};
      const path = properties['Path'] === undefined ? '/' : this.resolve(properties['Path']);
      return `arn:aws:iam::${this.context.accountId}:role${String(path)}${String(this.ref(logicalId))}`;
    }
    return new Deferred(`Fn::GetAtt ${logicalId}.${attribute}`, (read) => read(logicalId, attribute));
  }

  private sub(argument: unknown): unknown {
    const [template, variables] =
      typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? [argument[0], argument[1] ?? {}] : [];
    if (typeof template !== 'string' || !isRecord(variables)) throw new TemplateProblem('Fn::Sub takes a string, or [string, {variables}]');
    const parts: unknown[] = [];
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push(template.slice(last, match.index));
      last = match.index + match[0].length;
      const name = match[1]!;
      if (name.startsWith('!')) parts.push(`\${${name.slice(1)}}`);
      else if (name in variables) parts.push(this.resolve(variables[name]));
      else if (name.includes('.') && !name.startsWith('AWS::'))
        parts.push(this.attribute(...(name.split(/\.(.*)/s, 2) as [string, string])));
      else parts.push(this.ref(name));
    }
    parts.push(template.slice(last));
    return joinParts(parts, '', `Fn::Sub ${template}`);
  }
}

/** AWS::NoValue: the property it is given to is left out. */
const NO_VALUE = Symbol('AWS::NoValue');
