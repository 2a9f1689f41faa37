import { isIP } from 'node:net';
import { ipInRanges } from './threat-protection.js';

/**
 * IAM's condition operators, for the policies Cognate evaluates (src/domain/iam-policy.ts), as
 * documented in
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and, for ForAnyValue/ForAllValues and keys absent from the request,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

/** A request's context keys (`aws:SourceIp`, `cognito-identity.amazonaws.com:amr`), single- or multivalued. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** How one policy value is compared with one request value. */
type Comparison = (requestValue: string, policyValue: string) => boolean;

/** Stand-ins for a `*` and a `?` that a policy variable put in a pattern: they match only themselves. */
const LITERAL_STAR = '\u0000';
const LITERAL_QUESTION = '\u0001';

/** IAM's `*` (any run of characters) and `?` (any one character) in a pattern, the rest literal. */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
    .replaceAll(LITERAL_STAR, '\\*')
    .replaceAll(LITERAL_QUESTION, '\\?');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** A pattern's text with a policy variable's `*` and `?` back as themselves, for the equality operators. */
function literally(text: string): string {
  return text.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

/**
 * A Resource or a String/Arn condition value with its policy variables (`${aws:username}`,
 * `${cognito-identity.amazonaws.com:sub}`, `${aws:PrincipalTag/team, 'none'}`) replaced by the
 * request's single value of that key, or the default. `${*}`, `${?}` and `${$}` are those characters
 * literally. Undefined when a variable's key is absent (or multivalued) and it has no default: such
 * a pattern matches nothing.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function withPolicyVariables(text: string, context: RequestContext): string | undefined {
  let missing = false;
  const expanded = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner === '*') return LITERAL_STAR;
    if (inner === '?') return LITERAL_QUESTION;
    if (inner === '$') return '$';
    const variable = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    const values = variable ? contextValues(context, variable[1]!) : undefined;
    const value = values?.length === 1 ? values[0] : variable?.[2];
    if (value === undefined) {
      missing = true;
      return '';
    }
    return value.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
  });
  return missing ? undefined : expanded;
}

/**
 * ArnLike: each of an ARN's six colon-separated parts is matched on its own, so a wildcard never
 * spans a colon before the resource part (which keeps its colons).
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) return false;
  return patternParts.every((part, i) => wildcardMatches(part, arnParts[i]!));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function number(text: string): number | undefined {
  return text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);
}

/** A date as IAM reads it: ISO 8601 or epoch seconds. */
function date(text: string): number | undefined {
  const seconds = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isNaN(seconds) ? undefined : seconds;
}

function numeric(compare: (a: number, b: number) => boolean): Comparison {
  return (requestValue, policyValue) => {
    const a = number(requestValue);
    const b = number(policyValue);
    return a !== undefined && b !== undefined && compare(a, b);
  };
}

function dated(compare: (a: number, b: number) => boolean): Comparison {
  return (requestValue, policyValue) => {
    const a = date(requestValue);
    const b = date(policyValue);
    return a !== undefined && b !== undefined && compare(a, b);
  };
}

/** IpAddress's policy value is a CIDR block or one address. */
function inRange(requestValue: string, policyValue: string): boolean {
  const range = policyValue.includes('/') ? policyValue : `${policyValue}/${isIP(policyValue) === 6 ? 128 : 32}`;
  return ipInRanges(requestValue, [range]);
}

/** The positive operators; each `Not` operator is the negation of one of these. */
const POSITIVE: Readonly<Record<string, Comparison>> = {
  StringEquals: (a, b) => a === literally(b),
  StringEqualsIgnoreCase: (a, b) => a.toLowerCase() === literally(b).toLowerCase(),
  StringLike: (a, b) => wildcardMatches(b, a),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: dated((a, b) => a === b),
  DateLessThan: dated((a, b) => a < b),
  DateLessThanEquals: dated((a, b) => a <= b),
  DateGreaterThan: dated((a, b) => a > b),
  DateGreaterThanEquals: dated((a, b) => a >= b),
  Bool: (a, b) => a.toLowerCase() === b.toLowerCase(),
  IpAddress: inRange,
  ArnEquals: (a, b) => arnMatches(b, a),
  ArnLike: (a, b) => arnMatches(b, a),
};

/** The negated operators and the positive operator each negates. */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** An operator's parts: `ForAllValues:StringLikeIfExists` is a set operator, a base and IfExists. */
interface Operator {
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly base: string;
  readonly ifExists: boolean;
}

function parseOperator(name: string): Operator | undefined {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(name);
  if (!match) return undefined;
  const base = match[2]!;
  if (base === 'Null') return match[1] || match[3] ? undefined : { base, ifExists: false };
  if (!(base in POSITIVE) && !(base in NEGATED)) return undefined;
  return { ...(match[1] ? { set: match[1] as Operator['set'] } : {}), base, ifExists: match[3] !== undefined };
}

/** Whether IAM knows the condition operator `name`. */
export function isConditionOperator(name: string): boolean {
  return parseOperator(name) !== undefined;
}

/** The request's values for `key`; condition keys ignore case. Undefined when the request lacks it. */
function contextValues(context: RequestContext, key: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() === lower) return typeof value === 'string' ? [value] : value;
  }
  return undefined;
}

/** Policy values are strings, numbers or booleans, alone or in an array; IAM compares their text. */
function policyValues(value: unknown): string[] {
  return (Array.isArray(value) ? (value as unknown[]) : [value]).map(String);
}

/** Whether one operator's test of one key holds for the request. */
function keyHolds(operator: Operator, key: string, value: unknown, context: RequestContext): boolean {
  const present = contextValues(context, key);
  // Policy variables are read in the String and Arn operators' values only.
  const readsVariables = operator.base.startsWith('String') || operator.base.startsWith('Arn');
  const wanted = readsVariables ? policyValues(value).flatMap((text) => withPolicyVariables(text, context) ?? []) : policyValues(value);
  if (operator.base === 'Null') {
    // `Null: true` asks for the key to be absent; a key with no values counts as absent.
    const absent = present === undefined || present.length === 0;
    return wanted.some((text) => (text.toLowerCase() === 'true') === absent);
  }
  const negatedOf = NEGATED[operator.base];
  const compare = POSITIVE[negatedOf ?? operator.base]!;
  // A value "matches" when it equals (or is like) one of the policy's values; a negated operator
  // holds for a value that matches none of them.
  const holdsFor = (requestValue: string): boolean => wanted.some((policyValue) => compare(requestValue, policyValue)) !== !!negatedOf;
  if (present === undefined || present.length === 0) {
    // Absent keys: IfExists and ForAllValues hold, ForAnyValue does not, and a negated operator
    // holds while a positive one does not.
    if (operator.ifExists || operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return !!negatedOf;
  }
  if (operator.set === 'ForAllValues') return present.every(holdsFor);
  if (operator.set === 'ForAnyValue') return present.some(holdsFor);
  // A single-valued operator on a multivalued key: a positive operator holds when any value matches,
  // a negated one when none does.
  return negatedOf ? present.every(holdsFor) : present.some(holdsFor);
}

/**
 * Whether a statement's Condition block holds: every operator's every key (AND), each key holding
 * when one of its values does (OR). An operator IAM does not know never holds.
 */
export function conditionHolds(condition: unknown, context: RequestContext): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.entries(condition as Record<string, unknown>).every(([name, keys]) => {
    const operator = parseOperator(name);
    if (!operator || typeof keys !== 'object' || keys === null) return false;
    return Object.entries(keys as Record<string, unknown>).every(([key, value]) => keyHolds(operator, key, value, context));
  });
}
