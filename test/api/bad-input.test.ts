/**
 * Sends malformed input to EVERY modelled operation (implemented or not) of the awsJson1_1 services
 * (Cognito user pools and Cognito identity pools) through the wire, signed with the admin key when
 * the model says SigV4, and checks that each one is refused the way AWS
 * refuses it: 400, InvalidParameterException with AWS's validation wording (or SerializationException
 * for a wrong JSON type), never a 5xx and never a stack trace.
 *
 * The malformed inputs are derived from the model's constraint table (src/generated/<service>/
 * schema.ts): missing required members, a string over its maximum length, a string breaking its
 * pattern, a value outside its enum, an integer out of range, a number where a string belongs.
 * The exact-message tests at the end use texts AWS really returned (sources in each test).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationName } from '../../src/generated/cognito-idp/operations.js';
import type { ShapeSchema } from '../../src/api/schema-types.js';
import { cognitoIdentity, cognitoIdp, type AwsService } from '../../src/api/aws-services.js';
import { startTestServer, signedJsonCall, type TestServer } from '../support/server.js';

let server: TestServer;
let credentials: { accessKeyId: string; secretAccessKey: string };

before(async () => {
  server = await startTestServer();
  credentials = await server.admin.config.credentials();
});
after(() => server.stop());

interface WireAnswer {
  status: number;
  type: string | undefined;
  message: string | undefined;
  text: string;
  headerType: string | null;
}

type Shapes = AwsService['shapes'];

/** POSTs one awsJson1_1 call of `service`; SigV4 operations are signed with the admin key, public ones are not. */
async function call(operation: string, body: unknown, service: AwsService = cognitoIdp): Promise<WireAnswer> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const target = `${service.targetPrefix}.${operation}`;
  const headers =
    service.operations[operation]!.auth === 'sigv4'
      ? (await signedJsonCall(server.url, target, payload, { ...credentials, service: service.signingName })).headers
      : { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const response = await fetch(server.url, { method: 'POST', headers, body: payload });
  const text = await response.text();
  let parsed: { __type?: string; message?: string } = {};
  try {
    parsed = JSON.parse(text) as { __type?: string; message?: string };
  } catch {
    // Left empty: the assertions below report the raw text.
  }
  return {
    status: response.status,
    type: parsed.__type,
    message: parsed.message,
    text,
    headerType: response.headers.get('x-amzn-errortype'),
  };
}

/** Stack frames, file paths or Node internals must never reach a client. */
function assertNoLeak(answer: WireAnswer, label: string): void {
  assert.ok(answer.status < 500, `${label}: got ${answer.status} ${answer.text}`);
  assert.doesNotMatch(answer.text, /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|file:\/\//, `${label}: body leaks internals: ${answer.text}`);
}

function assertRefused(answer: WireAnswer, type: string, label: string): void {
  assertNoLeak(answer, label);
  assert.equal(answer.status, 400, `${label}: ${answer.text}`);
  assert.equal(answer.type, type, `${label}: ${answer.text}`);
  assert.equal(answer.headerType, type, `${label}: x-amzn-ErrorType`);
  assert.equal(typeof answer.message, 'string', `${label}: message`);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The problems of an InvalidParameterException message, checked against its own count. */
function problemsOf(message: string, label: string): string[] {
  const match = /^(\d+) validation errors? detected: (.*)$/s.exec(message);
  assert.ok(match, `${label}: not AWS's validation format: ${message}`);
  const count = Number(match[1]);
  assert.equal(message.startsWith(`${count} validation error${count === 1 ? '' : 's'} detected: `), true, `${label}: singular/plural`);
  const problems = match[2]!.split('; ');
  assert.equal(problems.length, count, `${label}: the count does not match the problems: ${message}`);
  return problems;
}

function matches(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}

type StringSchema = Extract<ShapeSchema, { type: 'string' }>;
type IntegerSchema = Extract<ShapeSchema, { type: 'integer' | 'number' }>;

/** A scalar member somewhere in an input, with how to build an input holding a value there. */
interface Target {
  path: string;
  shape: ShapeSchema;
  build(value: unknown): Record<string, unknown>;
}

/**
 * The first member (breadth first: top level before nested structures and lists of structures)
 * whose shape passes `accept`. Lists and maps of scalars are left out: AWS reports those at the list.
 */
function findTarget(shapes: Shapes, inputShape: string, accept: (shape: ShapeSchema) => boolean): Target | undefined {
  const queue: Array<{ shape: string; path: string; wrap: (inner: Record<string, unknown>) => Record<string, unknown>; depth: number }> = [
    { shape: inputShape, path: '', wrap: (inner) => inner, depth: 0 },
  ];
  while (queue.length) {
    const entry = queue.shift()!;
    const structure = shapes[entry.shape];
    if (structure?.type !== 'structure') continue;
    for (const [member, memberShapeName] of Object.entries(structure.members)) {
      const memberShape = shapes[memberShapeName]!;
      const path = entry.path ? `${entry.path}.${lowerFirst(member)}` : lowerFirst(member);
      if (accept(memberShape)) {
        return { path, shape: memberShape, build: (value) => entry.wrap({ [member]: value }) };
      }
      if (entry.depth >= 3) continue;
      if (memberShape.type === 'structure') {
        queue.push({ shape: memberShapeName, path, wrap: (inner) => entry.wrap({ [member]: inner }), depth: entry.depth + 1 });
      } else if (memberShape.type === 'list' && shapes[memberShape.member]?.type === 'structure') {
        queue.push({
          shape: memberShape.member,
          path: `${path}.1.member`,
          wrap: (inner) => entry.wrap({ [member]: [inner] }),
          depth: entry.depth + 1,
        });
      }
    }
  }
  return undefined;
}

/** A value of an allowed length that the pattern rejects, when one of the usual suspects does. */
function patternBreaker(shape: StringSchema): string | undefined {
  if (shape.pattern === undefined) return undefined;
  const length = Math.max(shape.min ?? 1, 1);
  if (shape.max !== undefined && length > shape.max) return undefined;
  for (const unit of [' ', '\u0000', '!', '~', 'a', '_', '-', '0']) {
    const candidate = unit.repeat(length);
    if (!matches(shape.pattern, candidate)) return candidate;
  }
  return undefined;
}

function shown(value: string | number, shape: ShapeSchema): string {
  return shape.type === 'string' && shape.sensitive ? 'Value' : `Value '${value}'`;
}

const SAMPLE_STRINGS = [
  'us-east-1_abcdefghi',
  'abcdefghijklmnopqrstuvwxyz',
  'us-east-1_0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
  'arn:aws:iam::123456789012:role/cognate-test',
  'https://example.com/callback',
  'someone@example.com',
  'Corp',
  'a',
  '123456',
  'email',
  'us-east-1:0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
];

/**
 * A value that passes the model's constraints, naming things that do not exist, or undefined when
 * no sample fits. Only required members are filled in.
 */
function wellFormed(shapes: Shapes, shapeName: string, depth = 0): unknown {
  const shape = shapes[shapeName];
  if (!shape || depth > 6) return undefined;
  switch (shape.type) {
    case 'string': {
      if (shape.enum) return shape.enum[0];
      const fits = (candidate: string): boolean =>
        candidate.length >= (shape.min ?? 0) &&
        candidate.length <= (shape.max ?? Infinity) &&
        (shape.pattern === undefined || matches(shape.pattern, candidate));
      return [...SAMPLE_STRINGS, 'a'.repeat(Math.max(shape.min ?? 1, 1)), '1'.repeat(Math.max(shape.min ?? 1, 1))].find(fits);
    }
    case 'integer':
    case 'number':
      return shape.min !== undefined && shape.min > 1 ? shape.min : shape.max !== undefined && shape.max < 1 ? shape.max : 1;
    case 'boolean':
      return false;
    case 'timestamp':
      return 0;
    case 'blob':
      return 'AAAA';
    case 'document':
      return {};
    case 'list': {
      if ((shape.min ?? 0) === 0) return [];
      const item = wellFormed(shapes, shape.member, depth + 1);
      return item === undefined ? undefined : [item];
    }
    case 'map':
      return {};
    case 'structure': {
      const value: Record<string, unknown> = {};
      for (const member of shape.required ?? []) {
        const memberValue = wellFormed(shapes, shape.members[member]!, depth + 1);
        if (memberValue === undefined) return undefined;
        value[member] = memberValue;
      }
      return value;
    }
  }
}

const isFreeString = (shape: ShapeSchema): shape is StringSchema => shape.type === 'string' && !shape.enum;

/** How many operations of a service each kind of bad input reached. */
interface Coverage {
  missing: number;
  length: number;
  pattern: number;
  enum: number;
  range: number;
  type: number;
  handled: number;
}

/** Every operation of `service`, each refusing every kind of bad input its input shape allows. */
function sweep(service: AwsService, label: string, coverage: Coverage): void {
  const { shapes } = service;
  for (const operation of Object.keys(service.operations).sort()) {
    sweepOperation(service, shapes, operation, `${label}${operation}`, coverage);
  }
}

function sweepOperation(service: AwsService, shapes: Shapes, operation: string, name: string, coverage: Coverage): void {
  const inputShape = service.operations[operation]!.input;
  test(`${name} refuses malformed input the way AWS does`, async (t) => {
    assert.ok(inputShape, `${operation} has an input shape`);
    const input = shapes[inputShape];
    assert.equal(input?.type, 'structure');
    const required = input?.type === 'structure' ? (input.required ?? []) : [];

    await t.test('missing every required member', async () => {
      const answer = await call(operation, {}, service);
      if (required.length === 0) {
        assertNoLeak(answer, `${operation} {}`);
        return;
      }
      coverage.missing++;
      assertRefused(answer, 'InvalidParameterException', `${operation} {}`);
      const expected = required.map((member) => `Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
      assert.equal(
        answer.message,
        `${required.length} validation error${required.length === 1 ? '' : 's'} detected: ${expected.join('; ')}`,
      );
    });

    const nullProblems = required.map((member) => `Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
    /** Sends `target` holding `value`; AWS reports the broken member next to the missing required ones. */
    async function expectProblem(target: Target, value: unknown, problem: string | RegExp, label: string): Promise<void> {
      const answer = await call(operation, target.build(value), service);
      assertRefused(answer, 'InvalidParameterException', label);
      const problems = problemsOf(answer.message!, label);
      const found = problems.some((p) => (typeof problem === 'string' ? p === problem : problem.test(p)));
      assert.ok(found, `${label}: expected ${String(problem)} among\n${problems.join('\n')}`);
      const topMember = target.path.split('.')[0]!;
      for (const missing of nullProblems.filter((p) => !p.startsWith(`Value at '${topMember}'`))) {
        assert.ok(problems.includes(missing), `${label}: ${missing}`);
      }
    }

    const long = findTarget(shapes, inputShape!, (shape) => isFreeString(shape) && shape.max !== undefined);
    if (long) {
      await t.test(`a string over its maximum length (${long.path})`, async () => {
        coverage.length++;
        const shape = long.shape as StringSchema;
        const value = 'a'.repeat(shape.max! + 1);
        await expectProblem(
          long,
          value,
          `${shown(value, shape)} at '${long.path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`,
          `${operation} ${long.path} too long`,
        );
      });
    }

    const patterned = findTarget(shapes, inputShape!, (shape) => isFreeString(shape) && patternBreaker(shape) !== undefined);
    if (patterned) {
      await t.test(`a string breaking its pattern (${patterned.path})`, async () => {
        coverage.pattern++;
        const shape = patterned.shape as StringSchema;
        const value = patternBreaker(shape)!;
        await expectProblem(
          patterned,
          value,
          `${shown(value, shape)} at '${patterned.path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`,
          `${operation} ${patterned.path} pattern`,
        );
      });
    }

    const enumerated = findTarget(shapes, inputShape!, (shape) => shape.type === 'string' && shape.enum !== undefined);
    if (enumerated) {
      await t.test(`a value outside its enum (${enumerated.path})`, async () => {
        coverage.enum++;
        const shape = enumerated.shape as StringSchema;
        const escaped = enumerated.path.replace(/\./g, '\\.');
        const problem = new RegExp(
          `^Value 'NOT_IN_THE_SET' at '${escaped}' failed to satisfy constraint: Member must satisfy enum value set: \\[([^\\]]*)\\]$`,
        );
        await expectProblem(enumerated, 'NOT_IN_THE_SET', problem, `${operation} ${enumerated.path} enum`);
        const answer = await call(operation, enumerated.build('NOT_IN_THE_SET'), service);
        const listed = problemsOf(answer.message!, operation)
          .map((p) => problem.exec(p)?.[1])
          .find((set) => set !== undefined)!
          .split(', ');
        assert.deepEqual([...listed].sort(), [...shape.enum!].sort(), 'every enum value is listed once');
      });
    }

    const ranged = findTarget(
      shapes,
      inputShape!,
      (shape) => shape.type === 'integer' && (shape.min !== undefined || shape.max !== undefined),
    );
    if (ranged) {
      await t.test(`an integer out of range (${ranged.path})`, async () => {
        coverage.range++;
        const shape = ranged.shape as IntegerSchema;
        const [value, constraint] =
          shape.max !== undefined
            ? [shape.max + 1, `Member must have value less than or equal to ${shape.max}`]
            : [shape.min! - 1, `Member must have value greater than or equal to ${shape.min}`];
        await expectProblem(
          ranged,
          value,
          `Value '${value}' at '${ranged.path}' failed to satisfy constraint: ${constraint}`,
          `${operation} ${ranged.path} range`,
        );
      });
    }

    const stringy = findTarget(shapes, inputShape!, (shape) => shape.type === 'string');
    if (stringy) {
      await t.test(`a number where a string belongs (${stringy.path})`, async () => {
        coverage.type++;
        const answer = await call(operation, stringy.build(12345), service);
        assertRefused(answer, 'SerializationException', `${operation} ${stringy.path} as a number`);
        assert.equal(answer.message, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String');
      });
    }

    const valid = wellFormed(shapes, inputShape!);
    if (valid !== undefined) {
      await t.test('a well-formed input naming things that do not exist reaches the handler, which answers a Cognito error', async () => {
        const answer = await call(operation, valid, service);
        assertNoLeak(answer, `${operation} ${JSON.stringify(valid)}`);
        if (answer.status === 200) return;
        assert.equal(typeof answer.type, 'string', `${operation}: ${answer.text}`);
        assert.equal(typeof answer.message, 'string', `${operation}: ${answer.text}`);
        assert.notEqual(answer.type, 'SerializationException', `${operation}: ${answer.text}`);
        if (!/^\d+ validation errors? detected: /.test(answer.message!)) coverage.handled++;
      });
    }
  });
}

/** How many of a service's operations have required members: each must be refused without them. */
function withRequired(service: AwsService): number {
  return Object.values(service.operations).filter((model) => {
    const shape = service.shapes[model.input!];
    return shape?.type === 'structure' && (shape.required?.length ?? 0) > 0;
  }).length;
}

const coverage: Coverage = { missing: 0, length: 0, pattern: 0, enum: 0, range: 0, type: 0, handled: 0 };
const identityCoverage: Coverage = { missing: 0, length: 0, pattern: 0, enum: 0, range: 0, type: 0, handled: 0 };
sweep(cognitoIdp, '', coverage);
sweep(cognitoIdentity, 'Cognito Identity ', identityCoverage);

test('the sweep reached every operation and most constraint kinds', (t) => {
  t.diagnostic(`operations per case: ${JSON.stringify(coverage)}`);
  // Guards the generator of bad inputs itself: if the schema walk broke, these would collapse.
  assert.equal(Object.keys(cognitoIdp.operations).length, 129);
  assert.equal(coverage.missing, withRequired(cognitoIdp));
  assert.ok(coverage.length >= 110, `length: ${coverage.length}`);
  assert.ok(coverage.pattern >= 110, `pattern: ${coverage.pattern}`);
  assert.ok(coverage.enum >= 25, `enum: ${coverage.enum}`);
  assert.ok(coverage.range >= 15, `range: ${coverage.range}`);
  assert.ok(coverage.type >= 125, `type: ${coverage.type}`);
  assert.ok(coverage.handled >= 110, `past validation: ${coverage.handled}`);
});

test('the sweep reached every Cognito Identity operation', (t) => {
  t.diagnostic(`operations per case: ${JSON.stringify(identityCoverage)}`);
  assert.equal(Object.keys(cognitoIdentity.operations).length, 23);
  assert.equal(identityCoverage.missing, withRequired(cognitoIdentity));
  assert.ok(identityCoverage.pattern >= 18, `pattern: ${identityCoverage.pattern}`);
  assert.ok(identityCoverage.type >= 20, `type: ${identityCoverage.type}`);
  assert.ok(identityCoverage.handled >= 18, `past validation: ${identityCoverage.handled}`);
});

// Exact texts AWS returned, each from a real response quoted in a public issue.

async function expectMessage(operation: OperationName, body: unknown, type: string, message: string): Promise<void> {
  const answer = await call(operation, body);
  assertRefused(answer, type, operation);
  assert.equal(answer.message, message);
}

const POOL = 'us-east-1_abcdefghi';

test('a value outside an enum lists the set in AWS order (UserPoolMfaType)', async () => {
  // rosberglinhares/CloudFormationCognitoCustomResources#1 (CreateUserPool through CloudFormation).
  await expectMessage(
    'CreateUserPool',
    { PoolName: 'pool', MfaConfiguration: 'false' },
    'InvalidParameterException',
    "1 validation error detected: Value 'false' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]",
  );
});

test('an integer over its maximum (ListUsers Limit)', async () => {
  // boto/boto3#1356.
  await expectMessage(
    'ListUsers',
    { UserPoolId: POOL, Limit: 100 },
    'InvalidParameterException',
    "1 validation error detected: Value '100' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
  );
});

test('an integer under its minimum (ListResourceServers MaxResults)', async () => {
  // aws/aws-cli#5843.
  await expectMessage(
    'ListResourceServers',
    { UserPoolId: POOL, MaxResults: 0 },
    'InvalidParameterException',
    "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test('a string over its maximum length (ListUsers Filter)', async () => {
  // aws/aws-sdk-net#3565 (a 257-character filter).
  const filter = `email = "${'a'.repeat(240)}@example.com"`;
  await expectMessage(
    'ListUsers',
    { UserPoolId: POOL, Filter: filter },
    'InvalidParameterException',
    `1 validation error detected: Value '${filter}' at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256`,
  );
});

test('a nested list member is addressed as schema.1.member.name', async () => {
  // aws/aws-cdk#14699.
  await expectMessage(
    'CreateUserPool',
    { PoolName: 'pool', Schema: [{ Name: 'phone_number_verified', AttributeDataType: 'String' }] },
    'InvalidParameterException',
    "1 validation error detected: Value 'phone_number_verified' at 'schema.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20",
  );
});

test('a pattern breach on a plain member shows its value (userPoolId)', async () => {
  await expectMessage(
    'AdminConfirmSignUp',
    { UserPoolId: 'not a pool id', Username: 'someone' },
    'InvalidParameterException',
    "1 validation error detected: Value 'not a pool id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
  );
});

test('an empty username breaks length then pattern, and its value is not shown (sensitive)', async () => {
  // ks888/LambStatus#6.
  await expectMessage(
    'AdminCreateUser',
    { UserPoolId: POOL, Username: '' },
    'InvalidParameterException',
    "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
  );
});

test('a password with a space breaks [\\S]+ without echoing the password', async () => {
  // amazon-archives/amazon-cognito-identity-js#388 (password member of SignUp).
  await expectMessage(
    'SignUp',
    { ClientId: 'abcdefghijklmnopqrstuvwxyz', Username: 'someone', Password: 'two words' },
    'InvalidParameterException',
    "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
  );
});

test('a missing password on SignUp keeps the shape Amplify parses', async () => {
  const answer = await call('SignUp', { ClientId: 'abcdefghijklmnopqrstuvwxyz' });
  assertRefused(answer, 'InvalidParameterException', 'SignUp');
  assert.equal(answer.message, "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must not be null");
});

test('a list of strings is judged at the list, with every constraint of its member', async () => {
  // aws/aws-sdk-java-v2#5528: [""] prints as [] (Java's List.toString).
  await expectMessage(
    'CreateUserPoolClient',
    { UserPoolId: POOL, ClientName: 'app', CallbackURLs: [''] },
    'InvalidParameterException',
    "1 validation error detected: Value '[]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+]",
  );
});

test('a list of enum values is judged at the list, in AWS enum order (ExplicitAuthFlows)', async () => {
  // aws-solutions/media-insights-on-aws#199, from before ALLOW_USER_AUTH existed: AWS listed
  // [ALLOW_CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH,
  // ALLOW_USER_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH].
  const answer = await call('CreateUserPoolClient', {
    UserPoolId: POOL,
    ClientName: 'app',
    ExplicitAuthFlows: ['ADMIN_USER_PASSWORD_AUTH'],
  });
  assertRefused(answer, 'InvalidParameterException', 'ExplicitAuthFlows');
  const match =
    /^1 validation error detected: Value '\[ADMIN_USER_PASSWORD_AUTH\]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[([A-Z_, ]+)\]\]$/.exec(
      answer.message!,
    );
  assert.ok(match, answer.message);
  const listed = match[1]!.split(', ');
  const seenByAws = [
    'ALLOW_CUSTOM_AUTH',
    'ADMIN_NO_SRP_AUTH',
    'ALLOW_REFRESH_TOKEN_AUTH',
    'ALLOW_USER_PASSWORD_AUTH',
    'ALLOW_USER_SRP_AUTH',
    'CUSTOM_AUTH_FLOW_ONLY',
    'USER_PASSWORD_AUTH',
    'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ];
  assert.deepEqual(
    listed.filter((value) => seenByAws.includes(value)),
    seenByAws,
  );
  assert.ok(listed.includes('ALLOW_USER_AUTH'));
});

test('a map of strings is judged at the map (Map value must satisfy constraint)', async () => {
  // The same framework's wording for cognito-identity's SupportedLoginProviders (aws/aws-cdk#31795).
  await expectMessage(
    'CreateIdentityProvider',
    {
      UserPoolId: POOL,
      ProviderName: 'Corp',
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: 'x' },
      AttributeMapping: { ['k'.repeat(33)]: 'email' },
    },
    'InvalidParameterException',
    `1 validation error detected: Value '{${'k'.repeat(33)}=email}' at 'attributeMapping' failed to satisfy constraint: Map key must satisfy constraint: [Member must have length less than or equal to 32, Member must have length greater than or equal to 1]`,
  );
});

test('wrong JSON types are SerializationException with the AWS JSON reader texts', async () => {
  // pmill/aws-cognito#10 (a number as an attribute value) and aws-amplify/amplify-js#2689 (an object).
  const base = { ClientId: 'abcdefghijklmnopqrstuvwxyz', Username: 'someone', Password: 'Passw0rd!' };
  await expectMessage(
    'SignUp',
    { ...base, UserAttributes: [{ Name: 'custom:n', Value: 5 }] },
    'SerializationException',
    'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String',
  );
  await expectMessage(
    'SignUp',
    { ...base, UserAttributes: [{ Name: 'address', Value: { locality: 'New York' } }] },
    'SerializationException',
    'Start of structure or map found where not expected.',
  );
  // A type error wins over constraint problems elsewhere in the same input, as AWS reads before it
  // validates. (This text follows the two above; no AWS response quoting it was found.)
  await expectMessage(
    'ListUsers',
    { UserPoolId: 'bad id', Limit: '10' },
    'SerializationException',
    'class java.lang.String can not be converted to an Integer',
  );
});

test('a body that is not JSON, or not an object, never reaches a handler', async () => {
  for (const body of ['{"UserPoolId": ', '[]', '"text"', '42', 'null']) {
    const answer = await call('ListUsers', body);
    assertNoLeak(answer, body);
    assert.equal(answer.status, 400, body);
    assert.ok(answer.type === 'SerializationException' || answer.type === 'InvalidParameterException', `${body}: ${answer.text}`);
  }
});
