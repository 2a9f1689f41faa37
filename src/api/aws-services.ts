import * as idp from '../generated/cognito-idp/operations.js';
import { shapes as idpShapes } from '../generated/cognito-idp/schema.js';
import * as idpErrors from '../generated/cognito-idp/errors.js';
import * as identity from '../generated/cognito-identity/operations.js';
import { shapes as identityShapes } from '../generated/cognito-identity/schema.js';
import * as identityErrors from '../generated/cognito-identity/errors.js';
import * as sts from '../generated/sts/operations.js';
import { shapes as stsShapes } from '../generated/sts/schema.js';
import * as iam from '../generated/iam/operations.js';
import { shapes as iamShapes } from '../generated/iam/schema.js';
import * as sync from '../generated/cognito-sync/operations.js';
import { shapes as syncShapes } from '../generated/cognito-sync/schema.js';
import * as syncErrors from '../generated/cognito-sync/errors.js';
import { CognitoError, UnknownOperationException } from '../errors/cognito-error.js';
import type { ShapeSchema } from './schema-types.js';
import type { AuthMode, RunnableOperation } from './invoke.js';
import { implemented, implementedIam, implementedIdentity, implementedSts, implementedSync } from './registry.js';

/** One operation as its service's generated table describes it. */
export interface OperationModel {
  readonly input: string | null;
  readonly output: string | null;
  readonly auth: AuthMode;
  readonly errors: readonly string[];
  /** awsQuery only: the element the output is wrapped in (`GetCallerIdentityResult`). */
  readonly resultWrapper?: string;
  /** restJson1 only: the method and path template that address it, and where its members travel. */
  readonly http?: RestBinding;
}

/** Where a restJson1 input member travels instead of the JSON body, by its wire name. */
export interface RestMemberBinding {
  readonly location: string;
  readonly name: string;
}

/** A restJson1 operation's address: `GET /identitypools/{IdentityPoolId}` and its members' places. */
export interface RestBinding {
  readonly method: string;
  readonly uri: string;
  readonly members: Readonly<Record<string, RestMemberBinding>>;
}

/** The errors a service answers for its protocol-level faults, each in the service's own terms. */
export interface ServiceErrors {
  /** An input that breaks the model's constraints; `message` is AWS's `N validation errors detected: ...`. */
  invalidParameter(message: string): CognitoError;
  /** An operation the service does not have. */
  unknownOperation(name: string): CognitoError;
  /** A modelled operation Cognate does not implement yet. */
  notImplemented(name: string): CognitoError;
  /** Anything unexpected; never carries detail. */
  internal(): CognitoError;
}

/**
 * An AWS service Cognate answers on its one endpoint: how a request finds it (an awsJson1_1
 * `X-Amz-Target` prefix, or an awsQuery form's `Version`), the SigV4 signing name its signed calls
 * must be scoped to, its generated contract, and its registry of implemented operations. The
 * metadata comes from the model (src/generated/<id>/operations.ts), so it cannot drift from it.
 */
export interface AwsService {
  /** The folder of its generated code and of its model, and its endpoint prefix. */
  readonly id: 'cognito-idp' | 'cognito-identity' | 'cognito-sync' | 'sts' | 'iam';
  /** AWS's name of the service, for docs. */
  readonly title: string;
  readonly protocol: 'awsJson1_1' | 'awsQuery' | 'restJson1';
  /** awsJson1_1: the `X-Amz-Target` prefix before `.Operation`; null for awsQuery. */
  readonly targetPrefix: string | null;
  readonly signingName: string;
  /**
   * A global service's own region, which its signed calls may be scoped to besides Cognate's: IAM's
   * SDK clients sign for us-east-1 wherever they are, while a client given Cognate's endpoint
   * (`--endpoint-url`) signs for the region it is configured with. Null for a regional service.
   */
  readonly signingRegion: string | null;
  readonly apiVersion: string;
  /** awsQuery: the namespace of its XML answers. */
  readonly xmlNamespace: string | null;
  /** The botocore model in spec/ its contract is generated from. */
  readonly model: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeSchema>>;
  readonly implemented: ReadonlyMap<string, RunnableOperation>;
  readonly errors: ServiceErrors;
}

/** The wire metadata a service's generated operations.ts carries from its model. */
interface GeneratedMetadata {
  readonly protocol: AwsService['protocol'];
  readonly targetPrefix: string | null;
  readonly signingName: string;
  readonly apiVersion: string;
  readonly xmlNamespace?: string;
  readonly model: string;
}

/** A descriptor's wire fields, from the model's metadata. */
function wire(
  metadata: GeneratedMetadata,
): Pick<AwsService, 'protocol' | 'targetPrefix' | 'signingName' | 'apiVersion' | 'xmlNamespace' | 'model'> {
  const { protocol, targetPrefix, signingName, apiVersion, model } = metadata;
  return { protocol, targetPrefix, signingName, apiVersion, model, xmlNamespace: metadata.xmlNamespace ?? null };
}

/** The query services' common protocol errors (STS and IAM answer the same codes), naming the service's API version. */
function queryErrors(apiVersion: string): ServiceErrors {
  return {
    invalidParameter: (message) => new CognitoError('ValidationError', 400, message),
    unknownOperation: (name) => new CognitoError('InvalidAction', 400, `Could not find operation ${name} for version ${apiVersion}`),
    notImplemented: (name) => new CognitoError('UnsupportedOperation', 400, notImplementedMessage(name)),
    internal: () => new CognitoError('InternalFailure', 500, 'An internal error occurred.'),
  };
}

/** Modelled operations the service does not implement yet answer this, naming themselves. */
function notImplementedMessage(name: string): string {
  return `Cognate does not implement ${name} yet (see docs/compatibility.md).`;
}

/** A generated error class that takes only its message. */
type ErrorClass = new (message: string) => CognitoError;

/**
 * The protocol errors of Cognito Identity and Cognito Sync, from each one's generated classes.
 * Neither models an unsupported-operation error; the name says what it is to any SDK.
 */
function cognitoErrors(generated: { InvalidParameterException: ErrorClass; InternalErrorException: ErrorClass }): ServiceErrors {
  return {
    invalidParameter: (message) => new generated.InvalidParameterException(message),
    unknownOperation: () => new UnknownOperationException(),
    notImplemented: (name) => new CognitoError('UnsupportedOperationException', 400, notImplementedMessage(name)),
    internal: () => new generated.InternalErrorException('An internal error occurred.'),
  };
}

/** Cognito user pools: `AWSCognitoIdentityProviderService.*`. */
export const cognitoIdp: AwsService = {
  id: 'cognito-idp',
  title: 'Amazon Cognito user pools',
  ...wire(idp.metadata),
  operations: idp.operations,
  shapes: idpShapes,
  signingRegion: null,
  implemented,
  errors: {
    invalidParameter: (message) => new idpErrors.InvalidParameterException(message),
    unknownOperation: () => new UnknownOperationException(),
    notImplemented: (name) => new idpErrors.UnsupportedOperationException(notImplementedMessage(name)),
    internal: () => new idpErrors.InternalErrorException('An internal error occurred.'),
  },
};

/** Cognito identity pools (Cognito Identity): `AWSCognitoIdentityService.*`. */
export const cognitoIdentity: AwsService = {
  id: 'cognito-identity',
  title: 'Amazon Cognito identity pools (Cognito Identity)',
  ...wire(identity.metadata),
  operations: identity.operations,
  shapes: identityShapes,
  signingRegion: null,
  implemented: implementedIdentity,
  errors: cognitoErrors(identityErrors),
};

/**
 * AWS STS: awsQuery (`Action=...&Version=2011-06-15`), XML answers. Its protocol errors are the
 * query services' common ones.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 */
export const stsService: AwsService = {
  id: 'sts',
  title: 'AWS Security Token Service (STS)',
  ...wire(sts.metadata),
  operations: sts.operations,
  shapes: stsShapes,
  signingRegion: null,
  implemented: implementedSts,
  errors: queryErrors(sts.metadata.apiVersion),
};

/**
 * AWS IAM, the subset for roles and their policies: awsQuery (`Action=...&Version=2010-05-08`),
 * XML answers. IAM is global: its calls are signed for us-east-1 (or, from a client pointed at
 * Cognate, for Cognate's region).
 * Only the operations Cognate serves are generated (tools/generate.ts), so any other IAM action is
 * `InvalidAction`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 */
export const iamService: AwsService = {
  id: 'iam',
  title: 'AWS Identity and Access Management (IAM), roles and policies',
  ...wire(iam.metadata),
  operations: iam.operations,
  shapes: iamShapes,
  signingRegion: 'us-east-1',
  implemented: implementedIam,
  errors: queryErrors(iam.metadata.apiVersion),
};

/**
 * Cognito Sync: restJson1, each operation addressed by its method and path
 * (`GET /identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets`), errors named by the
 * `x-amzn-ErrorType` header with a `{"message"}` body (src/api/rest-json.ts).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/CommonErrors.html
 */
export const cognitoSync: AwsService = {
  id: 'cognito-sync',
  title: 'Amazon Cognito Sync',
  ...wire(sync.metadata),
  operations: sync.operations,
  shapes: syncShapes,
  signingRegion: null,
  implemented: implementedSync,
  errors: cognitoErrors(syncErrors),
};

/** Every service on the endpoint, in the order the docs list them. */
export const awsServices: readonly AwsService[] = [cognitoIdp, cognitoIdentity, cognitoSync, stsService, iamService];

/** The awsJson1_1 service an `X-Amz-Target` value addresses, by its prefix. */
export function serviceForTarget(target: string): AwsService | undefined {
  const prefix = target.slice(0, Math.max(0, target.lastIndexOf('.')));
  return awsServices.find((service) => service.protocol === 'awsJson1_1' && service.targetPrefix === prefix);
}

/**
 * The awsQuery service a form addresses: by its `Version`, else by the signing name of its
 * credential scope; STS when neither tells (it is the query service unsigned calls reach).
 */
export function queryService(version: string | undefined, signingName: string | undefined): AwsService {
  const query = awsServices.filter((service) => service.protocol === 'awsQuery');
  return (
    query.find((service) => service.apiVersion === version) ?? query.find((service) => service.signingName === signingName) ?? stsService
  );
}
