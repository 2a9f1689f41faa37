import type { ShapeSchema } from './schema-types.js';
import { SerializationException } from '../errors/cognito-error.js';

/**
 * Checks a decoded awsJson1_1 input against the model's constraints and returns AWS's own messages,
 * e.g. `Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular
 * expression pattern: [\w-]+_[0-9a-zA-Z]+`. Type mismatches are SerializationException, as in AWS.
 *
 * Member paths are lower camel case (`userPoolId`), list items `userAttributes.1.member.name`.
 */
export function validateInput(
  shapes: Readonly<Record<string, ShapeSchema>>,
  shapeName: string,
  value: unknown,
): string[] {
  const problems: string[] = [];
  checkStructure(shapes, shapeName, value, '', problems);
  return problems;
}

/** Formats the validation problems as Cognito's InvalidParameterException message. */
export function validationMessage(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

const compiled = new Map<string, RegExp>();
function patternOf(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function join(path: string, member: string): string {
  return path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
}

function describe(value: unknown, sensitive: boolean): string {
  if (value === null || value === undefined || sensitive) return 'Value';
  if (Array.isArray(value)) return `Value '[${value.map((v) => String(v)).join(', ')}]'`;
  if (typeof value === 'object') return 'Value';
  return `Value '${String(value)}'`;
}

function fail(problems: string[], value: unknown, sensitive: boolean, path: string, constraint: string): void {
  problems.push(`${describe(value, sensitive)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function typeError(expected: string, path: string): never {
  throw new SerializationException(`Expected ${expected} at '${path || 'input'}'`);
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) typeError('a structure', path);
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
      if (typeof value !== 'string') typeError('a string', path);
      const sensitive = shape.sensitive === true;
      checkLength(problems, value, sensitive, path, value.length, shape.min, shape.max);
      if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value)) {
        fail(problems, value, sensitive, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value)) {
        fail(problems, value, sensitive, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) typeError('a number', path);
      if (shape.type === 'integer' && !Number.isInteger(value)) typeError('an integer', path);
      if (shape.min !== undefined && value < shape.min) {
        fail(problems, value, false, path, `Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value > shape.max) {
        fail(problems, value, false, path, `Member must have value less than or equal to ${shape.max}`);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeError('a boolean', path);
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') typeError('a timestamp', path);
      return;
    case 'blob': {
      if (typeof value !== 'string') typeError('a base64 string', path);
      checkLength(problems, value, false, path, Buffer.from(value, 'base64').length, shape.min, shape.max);
      return;
    }
    case 'document':
      return;
    case 'list': {
      if (!Array.isArray(value)) typeError('a list', path);
      checkLength(problems, value, false, path, value.length, shape.min, shape.max);
      value.forEach((item, index) => {
        if (item === null || item === undefined) return;
        checkValue(shapes, shape.member, item, `${path}.${index + 1}.member`, problems);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) typeError('a map', path);
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(problems, value, true, path, entries.length, shape.min, shape.max);
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
