import type {
  AttributeDataType,
  AttributeType,
  NumberAttributeConstraintsType,
  SchemaAttributeType,
  StringAttributeConstraintsType,
} from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';

/*
 * User pool schemas and user attribute validation.
 *
 * Evidence for the texts below (a URL means a captured response from real Cognito):
 * - standard schema: real DescribeUserPool output (`kengraf/nadialin` file `b`, 2023;
 *   https://github.com/boto/boto3/issues/2516; https://github.com/getmoto/moto/issues/5008) and the
 *   CreateUserPool example in the service model (spec/cognito-identity-provider.json), which also
 *   shows `dev:custom:mydev` and custom attributes appended after the standard ones.
 * - "Required custom attributes are not supported currently.":
 *   https://github.com/trek10inc/serverless-cognito-manager/issues/4,
 *   https://github.com/hashicorp/terraform-provider-aws/issues/18430
 * - "custom:custom:name: Existing attribute already has name custom:custom:name.":
 *   https://github.com/jmaleonard/serverless-cognito-add-custom-attributes/issues/3
 * - "Attributes did not conform to the schema: custom:x: Attribute does not exist in the schema.\n…"
 *   (SignUp, one line per attribute): https://github.com/aws-amplify/amplify-flutter/issues/509
 * - "user.custom:x: Attribute does not exist in the schema.\n…" (UpdateUserAttributes):
 *   https://github.com/aws-amplify/amplify-flutter/issues/1531
 * - "user.email: Attribute cannot be updated.\n": https://github.com/aws-amplify/amplify-js/issues/3526,
 *   https://github.com/aws-amplify/amplify-swift/issues/3981
 * - "Invalid phone number format.": https://github.com/aws-amplify/amplify-js/issues/8274
 * - "Attribute value for custom:tenant-id must not be null":
 *   https://github.com/aws-samples/aws-saas-factory-eks-reference-architecture/issues/53
 * Texts seen only in application code that matches on Cognito's messages:
 * - "Attributes did not conform to the schema: email: The attribute is required\n"
 * - "Attributes did not conform to the schema: Type for attribute {custom:role} could not be determined"
 * - "Invalid email address format."
 * Texts from getmoto/moto's schema validation (PR #4493), not confirmed against AWS:
 * - "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute x"
 * - "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
 * - "Invalid StringAttributeConstraints for schema attribute x", "user.x: Max length cannot be less
 *   than min length.", "user.x: String attributes cannot have a length of more than 2048",
 *   "user.x: Max value cannot be less than min value."
 * Everything else is marked as a best guess where it is produced.
 */

/** Most custom attributes a pool may hold (Cognito quotas page). */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** Longest custom attribute name, without its `custom:` prefix (CustomAttributeNameType). */
export const MAX_CUSTOM_ATTRIBUTE_NAME_LENGTH = 20;
/** Longest attribute value (AttributeValueType; quotas page: 2,048 bytes). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 2048;

function standardString(name: string, min = '0', max = '2048', mutable = true, required = false): SchemaAttributeType {
  return {
    Name: name,
    AttributeDataType: 'String',
    DeveloperOnlyAttribute: false,
    Mutable: mutable,
    Required: required,
    StringAttributeConstraints: { MinLength: min, MaxLength: max },
  };
}

function standardBoolean(name: string): SchemaAttributeType {
  return { Name: name, AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/**
 * The SchemaAttributes DescribeUserPool returns for a pool created without a Schema, in Cognito's
 * order, with constraints as strings as the API sends them.
 *
 * `identities` is not here: it is absent from real output for pools without federation and appears
 * (String, Mutable, `StringAttributeConstraints: {}`) once a pool has federated users; see
 * {@link IDENTITIES_ATTRIBUTE}.
 */
export const STANDARD_ATTRIBUTES: readonly SchemaAttributeType[] = deepFreeze([
  standardString('sub', '1', '2048', false, true),
  standardString('name'),
  standardString('given_name'),
  standardString('family_name'),
  standardString('middle_name'),
  standardString('nickname'),
  standardString('preferred_username'),
  standardString('profile'),
  standardString('picture'),
  standardString('website'),
  standardString('email'),
  standardBoolean('email_verified'),
  standardString('gender'),
  standardString('birthdate', '10', '10'),
  standardString('zoneinfo'),
  standardString('locale'),
  standardString('phone_number'),
  standardBoolean('phone_number_verified'),
  standardString('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
]);

/**
 * The `identities` schema entry real pools show once they have federated users (seen in a schema
 * copied from a live pool); callers append it when a pool gains an identity provider.
 */
export const IDENTITIES_ATTRIBUTE: Readonly<SchemaAttributeType> = deepFreeze({
  Name: 'identities',
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: {},
});

/** Names of the standard attributes; a Schema entry with one of these names overrides it. */
export const STANDARD_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name ?? ''));

function cloneAttribute(attribute: SchemaAttributeType): SchemaAttributeType {
  const copy: SchemaAttributeType = { ...attribute };
  if (attribute.StringAttributeConstraints) copy.StringAttributeConstraints = { ...attribute.StringAttributeConstraints };
  if (attribute.NumberAttributeConstraints) copy.NumberAttributeConstraints = { ...attribute.NumberAttributeConstraints };
  return copy;
}

function isCustomName(name: string): boolean {
  return name.startsWith('custom:') || name.startsWith('dev:custom:');
}

/** The AWS model-validation text for a list member's name, as src/api/validate.ts words it. */
function nameValidationError(listPath: string, index: number, name: string | undefined): InvalidParameterException {
  const path = `${listPath}.${index + 1}.member.name`;
  const problem =
    name === undefined
      ? `Value null at '${path}' failed to satisfy constraint: Member must not be null`
      : `Value '${name}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CUSTOM_ATTRIBUTE_NAME_LENGTH}`;
  return new InvalidParameterException(`1 validation error detected: ${problem}`);
}

/** A non-negative integer written as a string, as length constraints must be. */
function parseLength(value: string | undefined, kind: string, name: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidParameterException(`Invalid ${kind} for schema attribute ${name}`);
  return BigInt(value);
}

/** An integer written as a string; number bounds may be negative. */
function parseBound(value: string | undefined, kind: string, name: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new InvalidParameterException(`Invalid ${kind} for schema attribute ${name}`);
  return BigInt(value);
}

function checkStringConstraints(name: string, constraints: StringAttributeConstraintsType): void {
  const min = parseLength(constraints.MinLength, 'StringAttributeConstraints', name);
  const max = parseLength(constraints.MaxLength, 'StringAttributeConstraints', name);
  const limit = BigInt(MAX_ATTRIBUTE_VALUE_LENGTH);
  if ((min !== undefined && min > limit) || (max !== undefined && max > limit)) {
    throw new InvalidParameterException(`user.${name}: String attributes cannot have a length of more than 2048`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterException(`user.${name}: Max length cannot be less than min length.`);
  }
}

function checkNumberConstraints(name: string, constraints: NumberAttributeConstraintsType): void {
  const min = parseBound(constraints.MinValue, 'NumberAttributeConstraints', name);
  const max = parseBound(constraints.MaxValue, 'NumberAttributeConstraints', name);
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterException(`user.${name}: Max value cannot be less than min value.`);
  }
}

/**
 * Keeps only the constraints that fit the data type, as Cognito does: the service model's
 * CreateUserPool example sends both kinds for a Number attribute and gets back only
 * NumberAttributeConstraints.
 */
function constrain(
  target: SchemaAttributeType,
  type: AttributeDataType,
  input: SchemaAttributeType,
  defaults: SchemaAttributeType | undefined,
): void {
  const name = target.Name ?? '';
  delete target.StringAttributeConstraints;
  delete target.NumberAttributeConstraints;
  if (type === 'String') {
    // A custom String attribute without constraints is reported with an empty object (as the
    // `identities` entry of real pools is); a standard one keeps its defaults.
    const constraints = input.StringAttributeConstraints ?? defaults?.StringAttributeConstraints ?? {};
    checkStringConstraints(name, constraints);
    target.StringAttributeConstraints = { ...constraints };
  } else if (type === 'Number') {
    // Best guess, following moto: a custom Number attribute without constraints has none listed.
    const constraints = input.NumberAttributeConstraints ?? defaults?.NumberAttributeConstraints;
    if (constraints) {
      checkNumberConstraints(name, constraints);
      target.NumberAttributeConstraints = { ...constraints };
    }
  }
}

/** Builds one custom attribute's schema entry (shared by CreateUserPool and AddCustomAttributes). */
function customAttribute(input: SchemaAttributeType, listPath: string, index: number): SchemaAttributeType {
  const base = input.Name;
  if (base === undefined || base.length === 0) throw nameValidationError(listPath, index, undefined);
  if (base.length > MAX_CUSTOM_ATTRIBUTE_NAME_LENGTH) throw nameValidationError(listPath, index, base);
  // Cognito prefixes whatever it is given, so "custom:x" becomes "custom:custom:x"
  // (https://github.com/awsdocs/aws-cloudformation-user-guide/issues/932).
  const name = `${input.DeveloperOnlyAttribute === true ? 'dev:' : ''}custom:${base}`;
  const type = input.AttributeDataType;
  if (type === undefined) {
    throw new InvalidParameterException('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
  }
  if (input.Required === true) {
    throw new InvalidParameterException('Required custom attributes are not supported currently.');
  }
  const attribute: SchemaAttributeType = {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: input.DeveloperOnlyAttribute === true,
    // Best guess, as moto and cognito-local do: an unstated Mutable makes a custom attribute
    // mutable (the console's default).
    Mutable: input.Mutable ?? true,
    Required: false,
  };
  constrain(attribute, type, input, undefined);
  return attribute;
}

/** Whether `schema` already holds the custom attribute `base`, developer-only or not. */
function existingCustom(schema: readonly SchemaAttributeType[], base: string): string | undefined {
  return schema.find((a) => a.Name === `custom:${base}` || a.Name === `dev:custom:${base}`)?.Name;
}

function existingAttributeError(base: string, existing: string): InvalidParameterException {
  return new InvalidParameterException(`custom:${base}: Existing attribute already has name ${existing}.`);
}

function tooManyCustomAttributes(): InvalidParameterException {
  // Best guess: no captured text. Cognito's quota is 50 custom attributes per pool.
  return new InvalidParameterException(
    `Cannot add more custom attributes: a user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`,
  );
}

function countCustom(schema: readonly SchemaAttributeType[]): number {
  return schema.filter((a) => isCustomName(a.Name ?? '')).length;
}

/**
 * The SchemaAttributes of a new pool: the standard attributes (in Cognito's order, with any
 * overrides from `input` applied), then each custom attribute of `input` in the order given.
 *
 * An input entry named like a standard attribute overrides its Required, Mutable and constraints;
 * changing its type or making it developer-only is refused. Every other entry becomes
 * `custom:<Name>` (`dev:custom:<Name>` when DeveloperOnlyAttribute), must have a data type, can't
 * be required, and is mutable unless it says otherwise. `sub` keeps its fixed definition, since
 * Cognito generates it.
 *
 * @throws InvalidParameterException for the rule broken (texts listed at the top of this module).
 */
export function buildPoolSchema(input: SchemaAttributeType[] | undefined): SchemaAttributeType[] {
  const standard = STANDARD_ATTRIBUTES.map(cloneAttribute);
  const custom: SchemaAttributeType[] = [];
  const overridden = new Set<string>();

  (input ?? []).forEach((entry, index) => {
    const name = entry.Name;
    if (name !== undefined && STANDARD_ATTRIBUTE_NAMES.has(name)) {
      const defaults = STANDARD_ATTRIBUTES.find((a) => a.Name === name);
      const target = standard.find((a) => a.Name === name);
      if (!defaults || !target || !defaults.AttributeDataType) return;
      if (overridden.has(name)) {
        // Best guess: no captured text for a repeated name; reuse AddCustomAttributes' wording.
        throw new InvalidParameterException(`${name}: Existing attribute already has name ${name}.`);
      }
      overridden.add(name);
      if (
        (entry.AttributeDataType !== undefined && entry.AttributeDataType !== defaults.AttributeDataType) ||
        entry.DeveloperOnlyAttribute === true
      ) {
        throw new InvalidParameterException(
          `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`,
        );
      }
      if (name === 'sub') return;
      if (entry.Mutable !== undefined) target.Mutable = entry.Mutable;
      if (entry.Required !== undefined) target.Required = entry.Required;
      constrain(target, defaults.AttributeDataType, entry, defaults);
      return;
    }
    const attribute = customAttribute(entry, 'schema', index);
    const base = name ?? '';
    const existing = existingCustom(custom, base);
    if (existing !== undefined) {
      // Best guess for a name repeated within one CreateUserPool request: AddCustomAttributes' text.
      throw existingAttributeError(base, existing);
    }
    custom.push(attribute);
  });

  if (custom.length > MAX_CUSTOM_ATTRIBUTES) throw tooManyCustomAttributes();
  return [...standard, ...custom];
}

/**
 * The schema after AddCustomAttributes: `schema` with each of `added` appended as a custom
 * attribute. `schema` itself is not modified.
 *
 * @throws InvalidParameterException `custom:x: Existing attribute already has name custom:x.` when
 *   the pool (or an earlier entry of `added`) already has `custom:x` or `dev:custom:x`, or for any
 *   rule custom attributes break in {@link buildPoolSchema}.
 */
export function addCustomAttributes(schema: SchemaAttributeType[], added: SchemaAttributeType[]): SchemaAttributeType[] {
  const result = schema.map(cloneAttribute);
  added.forEach((entry, index) => {
    const attribute = customAttribute(entry, 'customAttributes', index);
    const base = entry.Name ?? '';
    const existing = existingCustom(result, base);
    if (existing !== undefined) throw existingAttributeError(base, existing);
    result.push(attribute);
  });
  if (countCustom(result) > MAX_CUSTOM_ATTRIBUTES) throw tooManyCustomAttributes();
  return result;
}

/** `mode` of {@link validateUserAttributes}: a new user (SignUp, AdminCreateUser) or a change. */
export type AttributeWriteMode = 'create' | 'update';

const SCHEMA_PREFIX = 'Attributes did not conform to the schema: ';

/** Cognito lists each failing attribute on its own line, each line ending in a newline. */
function schemaError(mode: AttributeWriteMode, problems: readonly string[]): InvalidParameterException {
  const lines = problems.map((p) => (mode === 'update' ? `user.${p}\n` : `${p}\n`)).join('');
  return new InvalidParameterException(mode === 'update' ? lines : SCHEMA_PREFIX + lines);
}

/**
 * Lenient on purpose: Cognito accepts unusual but deliverable addresses; it refuses values that are
 * not `local@domain` at all.
 */
export const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+$/u;
/** E.164: `+`, a country code not starting with 0, at most 15 digits in all (Developer Guide). */
export const PHONE_FORMAT = /^\+[1-9]\d{1,14}$/;
const INTEGER = /^[+-]?\d+$/;

function checkValue(attribute: SchemaAttributeType, name: string, value: string): string | undefined {
  switch (attribute.AttributeDataType) {
    case 'String': {
      const min = attribute.StringAttributeConstraints?.MinLength;
      const max = attribute.StringAttributeConstraints?.MaxLength;
      // Best-guess wording for both length rules (no captured text).
      if (max !== undefined && value.length > Number(max)) return `${name}: String must be no longer than ${max} characters`;
      if (min !== undefined && value.length < Number(min)) return `${name}: String must be at least ${min} characters`;
      return undefined;
    }
    case 'Number': {
      // Best-guess wording; Cognito's Number attributes hold integers.
      if (!INTEGER.test(value)) return `${name}: Number must be an integer`;
      const n = BigInt(value);
      const min = attribute.NumberAttributeConstraints?.MinValue;
      const max = attribute.NumberAttributeConstraints?.MaxValue;
      if (min !== undefined && INTEGER.test(min) && n < BigInt(min)) return `${name}: Number must be no less than ${min}`;
      if (max !== undefined && INTEGER.test(max) && n > BigInt(max)) return `${name}: Number must be no greater than ${max}`;
      return undefined;
    }
    case 'Boolean':
      // Best-guess wording. Case-insensitive because AWS's own docs say to send `True`.
      return /^(true|false)$/i.test(value) ? undefined : `${name}: Attribute value must be true or false`;
    default:
      return undefined;
  }
}

/**
 * Checks the attributes a request writes against the pool schema and returns them as a name→value
 * map, Boolean values normalised to `true`/`false` (as Cognito returns them). Later duplicates win.
 *
 * Order of checks: a missing value (`Attribute value for x must not be null`); in `create` mode an
 * unknown `custom:` attribute stops at once with `Attributes did not conform to the schema: Type for
 * attribute {custom:x} could not be determined`; every other schema problem of every attribute is
 * collected into one message — `Attributes did not conform to the schema: ` then one
 * `name: problem\n` line each in `create` mode, `user.name: problem\n` lines in `update` mode.
 * Problems: not in the schema, `sub` (which Cognito generates), an immutable attribute in `update`
 * mode, a value too long or of the wrong type. Then the format of `email` (`Invalid email address
 * format.`) and `phone_number` (`Invalid phone number format.`).
 *
 * Client write permissions (WriteAttributes) and the email_verified/phone_number_verified rules of
 * self-service updates are the caller's concern.
 */
export function validateUserAttributes(
  schema: SchemaAttributeType[],
  attributes: AttributeType[],
  mode: AttributeWriteMode,
): Record<string, string> {
  const byName = new Map(schema.map((a) => [a.Name ?? '', a]));
  const problems: string[] = [];
  const result: Record<string, string> = {};

  for (const { Name: name, Value: value } of attributes) {
    // JSON can carry null (or a non-string) where the model expects a string.
    if (typeof value !== 'string') {
      throw new InvalidParameterException(`Attribute value for ${name} must not be null`);
    }
    const attribute = byName.get(name);
    if (!attribute) {
      if (mode === 'create' && isCustomName(name)) {
        throw new InvalidParameterException(`${SCHEMA_PREFIX}Type for attribute {${name}} could not be determined`);
      }
      problems.push(`${name}: Attribute does not exist in the schema.`);
      continue;
    }
    if (name === 'sub' || (mode === 'update' && attribute.Mutable === false)) {
      // `sub` on create is a best guess: it is immutable and Cognito assigns it itself.
      problems.push(`${name}: Attribute cannot be updated.`);
      continue;
    }
    if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      // Best guess; the API's AttributeValueType check normally answers first.
      problems.push(`${name}: String must be no longer than ${MAX_ATTRIBUTE_VALUE_LENGTH} characters`);
      continue;
    }
    const problem = checkValue(attribute, name, value);
    if (problem !== undefined) {
      problems.push(problem);
      continue;
    }
    result[name] = attribute.AttributeDataType === 'Boolean' ? value.toLowerCase() : value;
  }

  if (problems.length > 0) throw schemaError(mode, problems);
  const email = result['email'];
  if (email !== undefined && !EMAIL_FORMAT.test(email)) throw new InvalidParameterException('Invalid email address format.');
  const phone = result['phone_number'];
  if (phone !== undefined && !PHONE_FORMAT.test(phone)) throw new InvalidParameterException('Invalid phone number format.');
  return result;
}

/**
 * The schema's required attributes that `attributes` lacks (absent or empty), in schema order.
 * `sub` is never reported: Cognito generates it.
 */
export function missingRequiredAttributes(schema: readonly SchemaAttributeType[], attributes: Readonly<Record<string, string>>): string[] {
  return schema
    .filter((a) => a.Required === true && a.Name !== undefined && a.Name !== 'sub')
    .map((a) => a.Name ?? '')
    .filter((name) => {
      const value = attributes[name];
      return value === undefined || value === '';
    });
}

/**
 * Cognito's SignUp message for missing required attributes, e.g.
 * `Attributes did not conform to the schema: email: The attribute is required\n`; with several, one
 * `name: The attribute is required\n` line each, as Cognito lists every failing attribute.
 */
export function requiredAttributesMessage(names: readonly string[]): string {
  return SCHEMA_PREFIX + names.map((name) => `${name}: The attribute is required\n`).join('');
}
