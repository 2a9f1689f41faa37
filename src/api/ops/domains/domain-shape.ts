import { createHash } from 'node:crypto';
import type { DomainDescriptionType } from '../../../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { Services } from '../../../services.js';
import type { DomainRecord, UserPoolRecord } from '../../../store/ports.js';

/** The model's DomainType pattern, which Cognito enforces for prefix domains only. */
export const PREFIX_PATTERN = '^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$';
const PREFIX_RE = new RegExp(PREFIX_PATTERN);

/** Words Cognito refuses inside a prefix (`Domain cannot contain reserved word: aws`). */
const RESERVED_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Checks a prefix domain the way Cognito does, with its messages. */
export function checkPrefixDomain(domain: string): void {
  if (!PREFIX_RE.test(domain)) {
    throw new InvalidParameterException(
      'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. ' +
        `Please enter a different name that follows this format: ${PREFIX_PATTERN}`,
    );
  }
  const reserved = RESERVED_WORDS.find((word) => domain.includes(word));
  if (reserved) throw new InvalidParameterException(`Domain cannot contain reserved word: ${reserved}`);
}

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A custom domain is a fully-qualified host name: two or more DNS labels. */
export function checkCustomDomain(domain: string): void {
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL_RE.test(label))) {
    throw new InvalidParameterException(`The custom domain name ${domain} is not a valid fully-qualified domain name.`);
  }
}

/** Hosted UI (classic) is 1, managed login 2; Cognito knows no other versions. */
export function checkManagedLoginVersion(version: number | undefined): void {
  if (version !== undefined && version !== 1 && version !== 2) {
    throw new InvalidParameterException('ManagedLoginVersion must be 1 or 2.');
  }
}

/**
 * A CloudFront host name in AWS's form (`d` and 13 base-32 characters), stable for a domain so a
 * described domain always shows the target its DNS alias was pointed at.
 */
export function cloudFrontFor(domain: string): string {
  const digest = createHash('sha256').update(`cognate-domain:${domain}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let id = 'd';
  for (let i = 0; i < 13; i++) id += alphabet[(digest[i] ?? 0) % 32];
  return `${id}.cloudfront.net`;
}

/** DomainDescription.Version: a `yyyyMMddHHmmss` stamp, as Cognito reports (`20190128175402`). */
export function versionAt(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Cognito's assets bucket is named after the region's airport code (`aws-cognito-prod-pdx-assets`). */
const REGION_CODES: Readonly<Record<string, string>> = {
  'us-east-1': 'iad',
  'us-east-2': 'cmh',
  'us-west-1': 'sfo',
  'us-west-2': 'pdx',
  'eu-west-1': 'dub',
  'eu-west-2': 'lhr',
  'eu-west-3': 'cdg',
  'eu-central-1': 'fra',
  'eu-north-1': 'arn',
  'ap-south-1': 'bom',
  'ap-southeast-1': 'sin',
  'ap-southeast-2': 'syd',
  'ap-northeast-1': 'nrt',
  'ap-northeast-2': 'icn',
  'ca-central-1': 'yul',
  'sa-east-1': 'gru',
};

function s3BucketFor(region: string): string {
  return `aws-cognito-prod-${REGION_CODES[region] ?? region}-assets`;
}

/** The DomainDescription of DescribeUserPoolDomain. */
export function toDomainDescription(services: Services, domain: DomainRecord, pool: UserPoolRecord | undefined): DomainDescriptionType {
  return {
    UserPoolId: domain.poolId,
    AWSAccountId: services.config.accountId,
    Domain: domain.domain,
    S3Bucket: s3BucketFor(pool?.region ?? services.config.region),
    CloudFrontDistribution: domain.cloudFrontDistribution,
    Version: domain.version,
    Status: 'ACTIVE',
    ...(domain.customDomainConfig ? { CustomDomainConfig: domain.customDomainConfig } : {}),
    ManagedLoginVersion: domain.managedLoginVersion,
  };
}

/**
 * The pool's domain of that name. Update and Delete name both the pool and the domain; a domain of
 * another pool, or none, is one error.
 */
export async function requireDomainOfPool(services: Services, poolId: string, name: string): Promise<DomainRecord> {
  const domain = await services.store.domains.get(name);
  if (!domain || domain.poolId !== poolId) throw new InvalidParameterException('No such domain or user pool exists.');
  return domain;
}
