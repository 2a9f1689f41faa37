import type { LimitType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';

/** The settings key of a category's provisioned rate (settings hold account-wide values). */
export function provisionedLimitKey(category: string): string {
  return `provisioned-limit:API_CATEGORY:${category}`;
}

/** The category's LimitType: its provisioned rate, the free one until a rate is provisioned. */
export async function limitOf(services: Services, name: string, free: number): Promise<LimitType> {
  const stored = await services.store.settings.get(provisionedLimitKey(name));
  return {
    LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: name } },
    ProvisionedLimitValue: stored === undefined ? free : Number(stored),
    FreeLimitValue: free,
  };
}
