import type { ShapeSchema } from './schema-types.js';
import { SerializationException } from '../errors/cognito-error.js';
import { compileLinearPattern, type PatternMatcher } from '../lib/linear-pattern.js';

/**
 * Checks a decoded awsJson1_1 input against the model's constraints and returns AWS's own messages,
 * e.g. `Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular
 * expression pattern: [\w-]+_[0-9a-zA-Z]+`. Type mismatches are SerializationException, as in AWS.
 *
 * Member paths are lower camel case (`userPoolId`), list items `userAttributes.1.member.name`.
 * A list or map of scalars is reported once, at the list or map, with every constraint of its member
 * (`Value '[a, b]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy constraint:
 * [Member must have length less than or equal to 1024, ...]`), as AWS does.
 */
export function validateInput(shapes: Readonly<Record<string, ShapeSchema>>, shapeName: string, value: unknown): string[] {
  const problems: string[] = [];
  checkStructure(shapes, shapeName, value, '', problems);
  return problems;
}

/** Formats the validation problems as Cognito's InvalidParameterException message. */
export function validationMessage(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/**
 * Values Cognito accepts although the model pattern rejects them. DomainType's pattern allows no dot,
 * yet custom domains are FQDNs (`auth.example.com`); Cognito then refuses a dotted name sent as a
 * prefix domain itself, with its own message (src/api/ops/domains/domain-shape.ts).
 */
const PATTERN_ALTERNATIVES: Readonly<Record<string, string>> = {
  DomainType: '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
};

/**
 * The same language as a model pattern RE2 cannot run, written without lookbehind: S3BucketType's
 * `(?<!\.)$` only says the name does not end with a dot.
 */
const EQUIVALENT_PATTERNS: Readonly<Record<string, string>> = {
  '^[0-9A-Za-z\\.\\-_]*(?<!\\.)$': '^(?:[0-9A-Za-z\\.\\-_]*[0-9A-Za-z\\-_])?$',
};

const compiled = new Map<string, PatternMatcher>();
/**
 * The model's patterns run in linear time (src/lib/linear-pattern.ts): a value at the body limit
 * must not hold the event loop, and every pattern is checked even when the length already failed,
 * because AWS lists both (captured: an empty password gets the length and the `[\S]+` errors).
 */
function patternOf(pattern: string): PatternMatcher {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compileLinearPattern(pattern, Object.hasOwn(EQUIVALENT_PATTERNS, pattern) ? EQUIVALENT_PATTERNS[pattern] : undefined);
    compiled.set(pattern, matcher);
  }
  return matcher;
}

/** The matcher of a string shape's model pattern, which also accepts the shape's alternative if it has one. */
export function modelPatternMatcher(shapeName: string, pattern: string): PatternMatcher {
  const main = patternOf(pattern);
  const alternative = Object.hasOwn(PATTERN_ALTERNATIVES, shapeName) ? PATTERN_ALTERNATIVES[shapeName] : undefined;
  if (alternative === undefined) return main;
  const other = patternOf(alternative);
  return { test: (value) => main.test(value) || other.test(value) };
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function join(path: string, member: string): string {
  return path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
}

/** AWS prints values the way Java's toString does: lists `[a, b]`, maps `{k=v, k2=v2}`. */
function describe(value: unknown, sensitive: boolean): string {
  if (value === null || value === undefined || sensitive) return 'Value';
  if (Array.isArray(value)) return `Value '[${value.map((v) => String(v)).join(', ')}]'`;
  if (typeof value === 'object') {
    return `Value '{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}}'`;
  }
  return `Value '${String(value)}'`;
}

/** Java's String.hashCode, over UTF-16 code units like Java's. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

const enumOrders = new WeakMap<readonly string[], string>();
/**
 * AWS lists an enum's values in its validation message in hash-set order, not the model's: e.g.
 * `[OPTIONAL, OFF, ON]` for UserPoolMfaType (model: OFF, ON, OPTIONAL). Every message seen from AWS
 * fits ascending `hashCode & 31` with later model values first within a bucket (UserPoolMfaType,
 * ExplicitAuthFlowsType with 8 values, and DynamoDB/SES/Lambda enums from the same framework).
 */
function enumSet(values: readonly string[]): string {
  let text = enumOrders.get(values);
  if (text === undefined) {
    const ordered = values
      .map((value, index) => ({ value, index, bucket: javaHashCode(value) & 31 }))
      .sort((a, b) => a.bucket - b.bucket || b.index - a.index)
      .map((entry) => entry.value);
    text = `[${ordered.join(', ')}]`;
    enumOrders.set(values, text);
  }
  return text;
}

type ScalarSchema = Extract<ShapeSchema, { type: 'string' | 'integer' | 'number' }>;
function isScalar(shape: ShapeSchema | undefined): shape is ScalarSchema {
  return shape !== undefined && (shape.type === 'string' || shape.type === 'integer' || shape.type === 'number');
}

/** Every constraint of a scalar shape, in the order AWS lists them inside `[...]`. */
function constraintsOf(shape: ScalarSchema): string[] {
  const unit = shape.type === 'string' ? 'length' : 'value';
  const constraints: string[] = [];
  if (shape.max !== undefined) constraints.push(`Member must have ${unit} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) constraints.push(`Member must have ${unit} greater than or equal to ${shape.min}`);
  if (shape.type === 'string' && shape.pattern !== undefined)
    constraints.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.type === 'string' && shape.enum) constraints.push(`Member must satisfy enum value set: ${enumSet(shape.enum)}`);
  return constraints;
}

function fail(problems: string[], value: unknown, sensitive: boolean, path: string, constraint: string): void {
  problems.push(`${describe(value, sensitive)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

/**
 * A wrong JSON type: AWS's SerializationException on the wire, carrying the member's path (in the
 * validator's lower camel case) for readers that report it, such as `cognate apply`.
 */
export class MemberTypeError extends SerializationException {
  constructor(
    message: string,
    readonly memberPath: string,
  ) {
    super(message);
  }
}

/**
 * AWS's JSON reader rejects a wrong JSON type before any constraint is checked, with its own texts:
 * `class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String`
 * for a number where a string belongs, `Start of structure or map found where not expected.` for
 * an object. `javaType` is the Java type a scalar member maps to; other mismatches keep a plain text.
 */
function typeError(value: unknown, path: string, expected: string, javaType?: 'String' | 'Integer' | 'Double' | 'Boolean'): never {
  if (Array.isArray(value)) throw new MemberTypeError('Start of list found where not expected', path);
  if (typeof value === 'object' && value !== null) throw new MemberTypeError('Start of structure or map found where not expected.', path);
  if (javaType !== undefined) {
    const javaClass =
      typeof value === 'number'
        ? 'com.amazon.coral.value.json.numbers.TruncatingBigNumber'
        : typeof value === 'boolean'
          ? 'java.lang.Boolean'
          : 'java.lang.String';
    throw new MemberTypeError(`class ${javaClass} can not be converted to an ${javaType}`, path);
  }
  throw new MemberTypeError(`Expected ${expected} at '${path || 'input'}'`, path);
}

function checkStructure(
  shapes: Readonly<Record<string, ShapeSchema>>,
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
): void {
  const shape = shapes[shapeName];
  if (!shape || shape.type !== 'structure') throw new Error(`not a structure: ${shapeName}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) typeError(value, path, 'a structure');
  const record = value as Record<string, unknown>;
  for (const member of shape.required ?? []) {
    if (record[member] === undefined || record[member] === null) {
      fail(problems, null, false, join(path, member), 'Member must not be null');
    }
  }
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const memberValue = record[member];
    if (memberValue === undefined || memberValue === null) continue;
    checkValue(shapes, memberShape, memberValue, join(path, member), problems);
  }
}

function checkLength(
  problems: string[],
  value: unknown,
  sensitive: boolean,
  path: string,
  length: number,
  min: number | undefined,
  max: number | undefined,
): void {
  if (min !== undefined && length < min) {
    fail(problems, value, sensitive, path, `Member must have length greater than or equal to ${min}`);
  }
  if (max !== undefined && length > max) {
    fail(problems, value, sensitive, path, `Member must have length less than or equal to ${max}`);
  }
}

/** Whether a list item or map entry breaks its scalar shape (a wrong JSON type still throws). */
function brokenScalar(shapes: Readonly<Record<string, ShapeSchema>>, shapeName: string, item: unknown, path: string): boolean {
  if (item === null || item === undefined) return false;
  const itemProblems: string[] = [];
  checkValue(shapes, shapeName, item, path, itemProblems);
  return itemProblems.length > 0;
}

function checkValue(
  shapes: Readonly<Record<string, ShapeSchema>>,
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
): void {
  const shape = shapes[shapeName];
  if (!shape) throw new Error(`unknown shape: ${shapeName}`);
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') typeError(value, path, 'a string', 'String');
      const sensitive = shape.sensitive === true;
      checkLength(problems, value, sensitive, path, value.length, shape.min, shape.max);
      if (shape.pattern !== undefined && !modelPatternMatcher(shapeName, shape.pattern).test(value)) {
        fail(problems, value, sensitive, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value)) {
        fail(problems, value, sensitive, path, `Member must satisfy enum value set: ${enumSet(shape.enum)}`);
      }
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        typeError(value, path, 'a number', shape.type === 'integer' ? 'Integer' : 'Double');
      if (shape.type === 'integer' && !Number.isInteger(value)) typeError(value, path, 'an integer');
      if (shape.min !== undefined && value < shape.min) {
        fail(problems, value, false, path, `Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value > shape.max) {
        fail(problems, value, false, path, `Member must have value less than or equal to ${shape.max}`);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeError(value, path, 'a boolean', 'Boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') typeError(value, path, 'a timestamp');
      return;
    case 'blob': {
      if (typeof value !== 'string') typeError(value, path, 'a base64 string', 'String');
      checkLength(problems, value, false, path, Buffer.from(value, 'base64').length, shape.min, shape.max);
      return;
    }
    case 'document':
      return;
    case 'list': {
      if (!Array.isArray(value)) typeError(value, path, 'a list');
      checkLength(problems, value, false, path, value.length, shape.min, shape.max);
      const member = shapes[shape.member];
      if (isScalar(member)) {
        // Every item is read (so a wrong JSON type anywhere still wins) before the list is judged.
        const broken = value.map((item, index) => brokenScalar(shapes, shape.member, item, `${path}.${index + 1}.member`)).includes(true);
        if (broken) fail(problems, value, false, path, `Member must satisfy constraint: [${constraintsOf(member).join(', ')}]`);
        return;
      }
      value.forEach((item, index) => {
        if (item === null || item === undefined) return;
        checkValue(shapes, shape.member, item, `${path}.${index + 1}.member`, problems);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) typeError(value, path, 'a map');
      const entries = Object.entries(value as Record<string, unknown>);
      const sensitive = shape.sensitive === true;
      checkLength(problems, value, sensitive, path, entries.length, shape.min, shape.max);
      const keyShape = shapes[shape.key];
      const valueShape = shapes[shape.value];
      if (isScalar(keyShape) && isScalar(valueShape)) {
        const badKey = entries.map(([key]) => brokenScalar(shapes, shape.key, key, `${path}.${key}.key`)).includes(true);
        const badValue = entries.map(([key, item]) => brokenScalar(shapes, shape.value, item, `${path}.${key}.value`)).includes(true);
        if (badKey) {
          fail(problems, value, sensitive, path, `Map key must satisfy constraint: [${constraintsOf(keyShape).join(', ')}]`);
        }
        if (badValue) {
          fail(problems, value, sensitive, path, `Map value must satisfy constraint: [${constraintsOf(valueShape).join(', ')}]`);
        }
        return;
      }
      for (const [key, item] of entries) {
        checkValue(shapes, shape.key, key, `${path}.${key}.key`, problems);
        if (item === null || item === undefined) continue;
        checkValue(shapes, shape.value, item, `${path}.${key}.value`, problems);
      }
      return;
    }
    case 'structure':
      checkStructure(shapes, shapeName, value, path, problems);
      return;
  }
}
