import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';

/** A `*_verified` flag needs its attribute (best-guess wording, as cognito-local words it). */
export function checkVerifiedFlagsHaveValues(attributes: Readonly<Record<string, string>>, written: ReadonlySet<string>): void {
  if (written.has('email_verified') && !attributes['email']) {
    throw new InvalidParameterException('Email is required to verify/un-verify an email');
  }
  if (written.has('phone_number_verified') && !attributes['phone_number']) {
    throw new InvalidParameterException('Phone Number is required to verify/un-verify a phone number');
  }
}
