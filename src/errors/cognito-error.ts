/**
 * An error Cognito itself would return: `__type` is the modelled shape name, `message` is public.
 * Anything that is not a CognitoError is an internal fault and is never shown to a client.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 */
export class CognitoError extends Error {
  readonly type: string;
  readonly status: number;
  readonly reasonCode: string | undefined;

  constructor(type: string, status: number, message: string, options?: { reasonCode?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.type = type;
    this.status = status;
    this.reasonCode = options?.reasonCode;
  }
}

/** Protocol-level errors that are not part of the service model (awsJson1_1 common errors). */
export class UnknownOperationException extends CognitoError {
  constructor(message = '') {
    super('UnknownOperationException', 400, message);
  }
}

export class SerializationException extends CognitoError {
  constructor(message: string) {
    super('SerializationException', 400, message);
  }
}

/** Common SigV4 errors (AWS's common error list). */
export class IncompleteSignatureException extends CognitoError {
  constructor(message: string) {
    super('IncompleteSignatureException', 400, message);
  }
}
export class MissingAuthenticationTokenException extends CognitoError {
  constructor(message = 'Missing Authentication Token') {
    super('MissingAuthenticationTokenException', 400, message);
  }
}
export class UnrecognizedClientException extends CognitoError {
  constructor(message = 'The security token included in the request is invalid.') {
    super('UnrecognizedClientException', 400, message);
  }
}
/**
 * A request signed with temporary credentials past their expiry. The awsJson1_1 services answer
 * `ExpiredTokenException`; STS answers `ExpiredToken` (src/api/aws-query.ts).
 */
export class ExpiredSecurityTokenException extends CognitoError {
  constructor() {
    super('ExpiredTokenException', 400, 'The security token included in the request is expired');
  }
}
export class InvalidSignatureException extends CognitoError {
  constructor(message: string) {
    super('InvalidSignatureException', 400, message);
  }
}
