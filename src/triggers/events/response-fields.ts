import { InvalidLambdaResponseException } from '../../generated/cognito-idp/errors.js';

/** Cognito's text for a handler answer it cannot read (captured: amazon-cognito-identity-js#633). */
const UNRECOGNIZABLE = 'Unrecognizable lambda output';

/**
 * Reads the boolean fields a trigger may set from its `response`: each may be absent, null or a
 * boolean (false when not true). Any other field, or another type, is Cognito's
 * InvalidLambdaResponseException, as its strict parser of the answer refuses it.
 */
export function booleanResponseFields<Field extends string>(
  response: Readonly<Record<string, unknown>>,
  fields: readonly Field[],
): Record<Field, boolean> {
  const read = {} as Record<Field, boolean>;
  for (const field of fields) read[field] = false;
  for (const [name, value] of Object.entries(response)) {
    if (!(fields as readonly string[]).includes(name)) {
      throw new InvalidLambdaResponseException(UNRECOGNIZABLE, { cause: `response.${name} may not be set by this trigger` });
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'boolean')
      throw new InvalidLambdaResponseException(UNRECOGNIZABLE, { cause: `response.${name} is not a boolean` });
    read[name as Field] = value;
  }
  return read;
}
