import { CognitoError } from '../../../errors/cognito-error.js';
import { MalformedPolicyDocumentException, NoSuchEntityException } from '../../../generated/iam/errors.js';
import type { Role } from '../../../generated/iam/shapes.js';
import { policyDocumentProblem, type PolicyKind } from '../../../domain/iam-policy.js';
import { randomString } from '../../../lib/ids.js';
import type { IamRoleRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';
import { encodePageToken, slicePage } from '../../paging.js';

/** IAM's unique IDs: a four-letter prefix of the kind (`AROA` a role, `ANPA` a managed policy) and 17 more. */
export function newIamId(prefix: 'AROA' | 'ANPA'): string {
  return prefix + randomString(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
}

/** IAM answers policy documents URL-encoded (RFC 3986); the AWS CLI and boto3 decode them. */
export function encodedDocument(document: string): string {
  return encodeURIComponent(document);
}

/** IAM answers creation dates in whole seconds. */
export function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** A role as IAM answers it (GetRole, CreateRole, ListRoles). */
export function roleShape(role: IamRoleRecord): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: seconds(role.createdAt),
    AssumeRolePolicyDocument: encodedDocument(role.trustPolicy),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
  };
}

/** The role of that name (in any case), or IAM's NoSuchEntity. */
export async function requireRole(services: Services, name: string): Promise<IamRoleRecord> {
  const role = await services.store.iam.getRole(name);
  if (!role) throw new NoSuchEntityException(`The role with name ${name} cannot be found.`);
  return role;
}

/** `document` when IAM would take it as a policy of `kind`; MalformedPolicyDocument otherwise. */
export function checkedDocument(document: string, kind: PolicyKind): string {
  const problem = policyDocumentProblem(document, kind);
  if (problem !== undefined) throw new MalformedPolicyDocumentException(problem);
  return document;
}

/** Features of IAM's inputs Cognate does not keep: refused by name rather than dropped unseen. */
export function refuseUnkept(input: { Tags?: unknown[]; PermissionsBoundary?: string }): void {
  const unkept = [
    input.Tags?.length ? 'Tags' : undefined,
    input.PermissionsBoundary !== undefined ? 'PermissionsBoundary' : undefined,
  ].filter((name) => name !== undefined);
  if (unkept.length > 0) {
    throw new CognitoError(
      'UnsupportedOperation',
      400,
      `Cognate does not keep ${unkept.join(' or ')} of IAM entities yet (see docs/compatibility.md).`,
    );
  }
}

/** The largest page IAM answers when MaxItems is absent. */
const DEFAULT_MAX_ITEMS = 100;

/** IAM pages by `Marker`: the opaque key of a page's last item. A marker this server did not give is IAM's ValidationError. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const key = /^[A-Za-z0-9_-]+$/.test(marker) ? Buffer.from(marker, 'base64url').toString('utf8') : '';
  if (key === '' || encodePageToken(key) !== marker) throw new CognitoError('ValidationError', 400, 'Invalid Marker.');
  return key;
}

/** Rows to fetch for a page of `maxItems`: one more, to tell whether the page is the last. */
export function rowsFor(maxItems: number | undefined): number {
  return (maxItems ?? DEFAULT_MAX_ITEMS) + 1;
}

/** One page as IAM answers it: the items, `IsTruncated`, and the `Marker` of the next page while more remain. */
export function iamPage<T>(
  rows: T[],
  maxItems: number | undefined,
  keyOf: (row: T) => string,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const page = slicePage(rows, maxItems ?? DEFAULT_MAX_ITEMS, keyOf);
  return page.next === undefined ? { items: page.items, IsTruncated: false } : { items: page.items, IsTruncated: true, Marker: page.next };
}
