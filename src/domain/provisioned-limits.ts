import { InvalidParameterException, ResourceNotFoundException, ServiceQuotaExceededException } from '../generated/cognito-idp/errors.js';
import type { LimitDefinitionType } from '../generated/cognito-idp/shapes.js';

/*
 * Provisioned API rate limits (GetProvisionedLimit, UpdateProvisionedLimit). Each user pool API
 * category has a free (default) rate in requests per second, and the adjustable ones can be
 * provisioned higher, "between the default limit and your account-level maximum limit in Service
 * Quotas". The categories, their default rates and which are adjustable are the developer guide's
 * table, "Amazon Cognito user pools API operation categories and request rate quotas"
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#category_operations).
 * The limits are the account's in one Region, so they name no user pool. Cognate enforces none
 * of these rates (docs/differences.md); it stores and answers them.
 */

interface Category {
  readonly free: number;
  readonly adjustable: boolean;
}

export const API_CATEGORIES: Readonly<Record<string, Category>> = {
  UserAuthentication: { free: 120, adjustable: true },
  UserCreation: { free: 50, adjustable: true },
  UserFederation: { free: 25, adjustable: true },
  UserAccountRecovery: { free: 30, adjustable: false },
  UserRead: { free: 120, adjustable: true },
  UserUpdate: { free: 25, adjustable: false },
  UserResourceRead: { free: 50, adjustable: true },
  UserResourceUpdate: { free: 25, adjustable: false },
  UserList: { free: 30, adjustable: false },
  UserPoolRead: { free: 15, adjustable: false },
  UserPoolUpdate: { free: 15, adjustable: false },
  UserPoolResourceRead: { free: 20, adjustable: false },
  UserPoolResourceUpdate: { free: 15, adjustable: false },
  UserPoolClientRead: { free: 15, adjustable: false },
  UserPoolClientUpdate: { free: 15, adjustable: false },
  UserToken: { free: 120, adjustable: false },
  ClientAuthentication: { free: 150, adjustable: false },
  LimitManagement: { free: 1, adjustable: false },
};

/**
 * Cognate's stand-in for the account's Service Quotas maximum, which AWS grants per account and
 * does not publish: ten times the free rate.
 */
export const ACCOUNT_MAXIMUM_FACTOR = 10;

/**
 * The category a limit definition names. Its attributes must be exactly `{ Category }` (the one
 * attribute API_CATEGORY limits have); a category Cognito does not have is ResourceNotFoundException.
 * The texts are Cognate's wording: Cognito publishes none.
 */
export function categoryOf(definition: LimitDefinitionType): { name: string; category: Category } {
  const keys = Object.keys(definition.Attributes);
  const name = definition.Attributes['Category'];
  if (name === undefined || keys.length !== 1) {
    throw new InvalidParameterException('API_CATEGORY limits are identified by exactly one attribute, Category.');
  }
  const category = Object.hasOwn(API_CATEGORIES, name) ? API_CATEGORIES[name] : undefined;
  if (!category) throw new ResourceNotFoundException(`There is no API category ${name}.`);
  return { name, category };
}

/** Checks a requested provisioned rate for a category. */
export function checkRequestedLimit(name: string, category: Category, requested: number): void {
  if (!category.adjustable) throw new InvalidParameterException(`The ${name} category is not adjustable.`);
  if (requested < category.free) {
    throw new InvalidParameterException(`The provisioned limit of ${name} must be at least its default limit, ${category.free}.`);
  }
  const maximum = category.free * ACCOUNT_MAXIMUM_FACTOR;
  if (requested > maximum) {
    throw new ServiceQuotaExceededException(`The provisioned limit of ${name} cannot exceed the account's maximum, ${maximum}.`);
  }
}
