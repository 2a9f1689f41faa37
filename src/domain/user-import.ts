import type { AttributeType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolConfig } from '../store/ports.js';
import { validateUserAttributes } from './attributes.js';

/*
 * The rules of a user import CSV file, from the developer guide:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html
 * (the header, the required columns and values) and
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-cloudwatch.html
 * (what makes a row fail or be skipped, and what fails the whole job).
 */

/** Schema attributes an import cannot set: Cognito assigns `sub`, and `identities` comes from federation. */
const NOT_IMPORTED: ReadonlySet<string> = new Set(['sub', 'identities']);

export const USERNAME_COLUMN = 'cognito:username';
export const MFA_COLUMN = 'cognito:mfa_enabled';

/**
 * The columns Cognito appends after the pool's attributes: whether the user has SMS MFA on, and the
 * user's name (the only required value in a row).
 */
const COGNITO_COLUMNS = [MFA_COLUMN, USERNAME_COLUMN] as const;

/**
 * The columns of a pool's import file in GetCSVHeader's order: the schema attributes as
 * DescribeUserPool lists them (standard ones, then `custom:<name>`), without `sub`, then
 * `cognito:mfa_enabled` and `cognito:username`.
 */
export function importColumns(config: UserPoolConfig): string[] {
  const attributes = (config.SchemaAttributes ?? []).flatMap((attribute) =>
    attribute.Name !== undefined && !NOT_IMPORTED.has(attribute.Name) ? [attribute.Name] : [],
  );
  return [...attributes, ...COGNITO_COLUMNS];
}

/**
 * What is wrong with a header row, or undefined when it will do: every column must be one of the
 * pool's import columns, none twice, and `cognito:username` and `cognito:mfa_enabled` must be
 * there. (The order does not matter, and other attribute columns may be left out.) A bad header
 * fails the whole job with this text as its CompletionMessage.
 */
export function headerProblem(config: UserPoolConfig, header: readonly string[]): string | undefined {
  const known = new Set(importColumns(config));
  const seen = new Set<string>();
  for (const column of header) {
    if (!known.has(column)) return `The CSV header contains the column ${column}, which is not an attribute of the user pool.`;
    if (seen.has(column)) return `The CSV header contains the column ${column} more than once.`;
    seen.add(column);
  }
  for (const required of [USERNAME_COLUMN, MFA_COLUMN]) {
    if (!seen.has(required)) return `The CSV header is missing the required column ${required}.`;
  }
  return undefined;
}

/** A row that can be imported: its username as written, its attributes (checked against the schema) and its MFA flag. */
export interface ImportedRow {
  username: string;
  attributes: Record<string, string>;
  mfaEnabled: boolean;
}

/** Why a row is not imported; the text is what the log says after `[FAILED] Line Number N - `. It never holds a value. */
export class RowProblem extends Error {}

const AUTO_VERIFIED_MISSING =
  'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).';

function booleanCell(value: string, column: string): boolean {
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'false') return false;
  if (lower === 'true') return true;
  throw new RowProblem(`The value of ${column} must be true or false.`);
}

/**
 * Reads one data row of a file whose header passed {@link headerProblem}. Empty cells are left
 * out. The row fails (a {@link RowProblem}) when it has another number of cells than the header, has
 * no username, a value the schema refuses, a verified flag without its email or phone, none of
 * the pool's auto-verified attributes verified (when the pool has any), a required attribute
 * missing, or MFA on without a phone number.
 */
export function readImportRow(config: UserPoolConfig, header: readonly string[], cells: readonly string[]): ImportedRow {
  if (cells.length !== header.length) {
    throw new RowProblem(`The row has ${cells.length} values but the header has ${header.length} columns.`);
  }
  let username = '';
  let mfaEnabled = false;
  const given: AttributeType[] = [];
  header.forEach((column, index) => {
    const value = cells[index] ?? '';
    if (column === USERNAME_COLUMN) username = value;
    else if (column === MFA_COLUMN) mfaEnabled = booleanCell(value, MFA_COLUMN);
    else if (value !== '') given.push({ Name: column, Value: value });
  });
  if (username === '') throw new RowProblem(`The value of ${USERNAME_COLUMN} is missing.`);

  let attributes: Record<string, string>;
  try {
    attributes = validateUserAttributes(config.SchemaAttributes ?? [], given, 'create');
  } catch (error) {
    // The schema's messages name attributes and rules, never the values.
    throw new RowProblem(`The user data does not match the schema. ${(error as Error).message.trim()}`);
  }
  if (attributes['email_verified'] === 'true' && !attributes['email']) throw new RowProblem('email_verified is true but email is missing.');
  if (attributes['phone_number_verified'] === 'true' && !attributes['phone_number']) {
    throw new RowProblem('phone_number_verified is true but phone_number is missing.');
  }
  const autoVerified = config.AutoVerifiedAttributes ?? [];
  if (autoVerified.length > 0 && !autoVerified.some((attribute) => attributes[`${attribute}_verified`] === 'true')) {
    throw new RowProblem(AUTO_VERIFIED_MISSING);
  }
  for (const attribute of config.SchemaAttributes ?? []) {
    const name = attribute.Name ?? '';
    if (attribute.Required === true && !NOT_IMPORTED.has(name) && !attributes[name]) {
      throw new RowProblem(`The required attribute ${name} is missing.`);
    }
  }
  if (mfaEnabled && !attributes['phone_number']) throw new RowProblem(`${MFA_COLUMN} is true but phone_number is missing.`);
  return { username, attributes, mfaEnabled };
}
