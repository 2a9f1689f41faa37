import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { POOL_RISK_CONFIGURATION, riskSettings } from '../../../domain/threat-protection.js';
import type { RiskConfigurationRecord } from '../../../store/ports.js';
import { toRiskConfigurationType } from './risk-configuration-shape.js';

/**
 * SetRiskConfiguration: replaces the threat-protection settings of one app client (ClientId) or
 * the pool's default (no ClientId): compromised credentials, account takeover, and the IP lists.
 * A request that sets none of them removes the configuration, as Terraform's provider relies on
 * when it deletes one. It works whatever the pool's threat protection mode; the settings act only
 * in AUDIT and ENFORCED mode. A client's configuration replaces the pool's whole for that client.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetRiskConfiguration.html
 */
export const setRiskConfiguration = defineOperation('SetRiskConfiguration', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (input.ClientId !== undefined) await requireClient(services, pool.id, input.ClientId);
  const key = input.ClientId ?? POOL_RISK_CONFIGURATION;
  const config = riskSettings(input);
  if (Object.keys(config).length === 0) {
    await services.store.riskConfigurations.delete(pool.id, key);
    return { RiskConfiguration: toRiskConfigurationType(pool.id, input.ClientId, undefined) };
  }
  const record: RiskConfigurationRecord = { poolId: pool.id, clientId: key, config, updatedAt: services.clock.now() };
  await services.store.riskConfigurations.put(record);
  return { RiskConfiguration: toRiskConfigurationType(pool.id, input.ClientId, record) };
});
