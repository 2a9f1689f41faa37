import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';

/**
 * A required AuthParameters / ChallengeResponses entry, or Cognito's "Missing required parameter
 * <NAME>" (e.g. https://github.com/aws/aws-sdk-cpp/issues/452 for SRP_A). An empty value counts as
 * missing.
 */
export function requireParameter(parameters: Readonly<Record<string, string>>, name: string): string {
  const value = parameters[name];
  if (typeof value !== 'string' || value === '') throw new InvalidParameterException(`Missing required parameter ${name}`);
  return value;
}

/** An optional entry; anything but a non-empty string counts as absent. */
export function optionalParameter(parameters: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
