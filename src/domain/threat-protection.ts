import { BlockList, isIP } from 'node:net';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type {
  AccountTakeoverActionsType,
  AdvancedSecurityModeType,
  EventFilterType,
  RiskConfigurationType,
  UserPoolType,
} from '../generated/cognito-idp/shapes.js';

/*
 * Threat protection's rules, without I/O: the pool's mode, which risk configuration applies, IP
 * ranges, and the checks SetRiskConfiguration makes beyond the model's.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
 */

/** The members of a risk configuration that SetRiskConfiguration sets. */
export type RiskSettings = Pick<
  RiskConfigurationType,
  'CompromisedCredentialsRiskConfiguration' | 'AccountTakeoverRiskConfiguration' | 'RiskExceptionConfiguration'
>;

/** The client ID under which the pool's default risk configuration is kept. */
export const POOL_RISK_CONFIGURATION = 'ALL';

/** The events compromised-credentials checks cover when EventFilter is left out: all of them. */
export const ALL_EVENT_FILTERS: readonly EventFilterType[] = ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'];

/**
 * The pool's threat protection mode for a sign-in: UserPoolAddOns.AdvancedSecurityMode (OFF when
 * unset), except that custom-authentication sign-ins follow AdvancedSecurityAdditionalFlows'
 * CustomAuthMode, and are not protected without it.
 */
export function threatProtectionMode(
  config: Pick<UserPoolType, 'UserPoolAddOns'>,
  flow: 'standard' | 'custom' = 'standard',
): AdvancedSecurityModeType {
  const addOns = config.UserPoolAddOns;
  if (!addOns || addOns.AdvancedSecurityMode === 'OFF') return 'OFF';
  if (flow === 'custom') return addOns.AdvancedSecurityAdditionalFlows?.CustomAuthMode ?? 'OFF';
  return addOns.AdvancedSecurityMode;
}

/** A CIDR block (`192.0.2.0/24`, `2001:db8::/32`) parsed, or undefined when the text is not one. */
function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const [, address = '', bits = ''] = match;
  const version = isIP(address);
  const prefix = Number(bits);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Refuses a range list with an entry that is not a CIDR block. */
export function checkIpRanges(member: 'BlockedIPRangeList' | 'SkippedIPRangeList', ranges: readonly string[] | undefined): void {
  for (const range of ranges ?? []) {
    if (!parseCidr(range)) throw new InvalidParameterException(`${member} contains an invalid IP range: ${range}`);
  }
}

/**
 * The end user's address for a sign-in: the one a back end reports for its user (AdminInitiateAuth's
 * ContextData.IpAddress, or UserContextData.IpAddress from an app client with
 * EnablePropagateAdditionalUserContextData), when it is an IP address; otherwise the request's
 * source as the server sees it. Threat protection, the auth events and devices' last address use it.
 */
export function endUserAddress(sourceIp: string, reported: string | undefined): string {
  return reported !== undefined && isIP(reported) !== 0 ? reported : sourceIp;
}

/** {@link endUserAddress} for the public sign-in operations: UserContextData counts only from a propagating client. */
export function publicUserAddress(
  sourceIp: string,
  client: { config: { EnablePropagateAdditionalUserContextData?: boolean | undefined } },
  context: { IpAddress?: string | undefined } | undefined,
): string {
  return endUserAddress(sourceIp, client.config.EnablePropagateAdditionalUserContextData ? context?.IpAddress : undefined);
}

/** Whether `ip` (as the server saw it; IPv4-mapped IPv6 counts as IPv4) is in one of `ranges`. */
export function ipInRanges(ip: string, ranges: readonly string[] | undefined): boolean {
  if (!ranges || ranges.length === 0) return false;
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const version = isIP(plain);
  if (version === 0) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const cidr = parseCidr(range);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
}

function notifies(actions: AccountTakeoverActionsType): boolean {
  return [actions.LowAction, actions.MediumAction, actions.HighAction].some((action) => action?.Notify === true);
}

/**
 * The risk configuration SetRiskConfiguration stores: the request's members after the checks the
 * model cannot express, with EventFilter filled in (all events) when left out. Empty when the
 * request sets nothing, which removes the configuration.
 */
export function riskSettings(input: RiskSettings): RiskSettings {
  const settings: RiskSettings = {};
  const compromised = input.CompromisedCredentialsRiskConfiguration;
  if (compromised) {
    settings.CompromisedCredentialsRiskConfiguration = {
      EventFilter:
        compromised.EventFilter && compromised.EventFilter.length > 0 ? [...new Set(compromised.EventFilter)] : [...ALL_EVENT_FILTERS],
      Actions: compromised.Actions,
    };
  }
  const takeover = input.AccountTakeoverRiskConfiguration;
  if (takeover) {
    if (notifies(takeover.Actions) && !takeover.NotifyConfiguration) {
      throw new InvalidParameterException('NotifyConfiguration is required when Notify is true for any risk level.');
    }
    settings.AccountTakeoverRiskConfiguration = takeover;
  }
  const exceptions = input.RiskExceptionConfiguration;
  if (exceptions) {
    checkIpRanges('BlockedIPRangeList', exceptions.BlockedIPRangeList);
    checkIpRanges('SkippedIPRangeList', exceptions.SkippedIPRangeList);
    if (!exceptions.BlockedIPRangeList?.length && !exceptions.SkippedIPRangeList?.length) {
      throw new InvalidParameterException('RiskExceptionConfiguration must contain BlockedIPRangeList or SkippedIPRangeList.');
    }
    settings.RiskExceptionConfiguration = exceptions;
  }
  return settings;
}
