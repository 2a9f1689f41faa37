import type { TriggerName } from './fire.js';

/**
 * Cognito's trigger sources, by trigger, and for each one Cognate fires, the test file that shows it
 * fired with Cognito's event. docs/compatibility.md's trigger table is generated from this list, and
 * test/docs/compatibility.test.ts checks that each named test file exercises its source, so the
 * table cannot claim a source no test covers.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html#working-with-lambda-trigger-sources
 */
export interface TriggerSourceEntry {
  source: string;
  /** The test file that fires this source, or undefined while Cognate does not. */
  provenBy: string | undefined;
  /** A short note for the table (what fires it, what is missing). */
  note?: string;
}

const not = (source: string, note?: string): TriggerSourceEntry => ({ source, provenBy: undefined, ...(note ? { note } : {}) });

export const TRIGGER_SOURCES: ReadonlyArray<{ trigger: TriggerName; title: string; sources: TriggerSourceEntry[] }> = [
  {
    trigger: 'PreSignUp',
    title: 'Pre sign-up',
    sources: [not('PreSignUp_SignUp'), not('PreSignUp_AdminCreateUser'), not('PreSignUp_ExternalProvider')],
  },
  {
    trigger: 'PostConfirmation',
    title: 'Post confirmation',
    sources: [not('PostConfirmation_ConfirmSignUp'), not('PostConfirmation_ConfirmForgotPassword')],
  },
  { trigger: 'PreAuthentication', title: 'Pre authentication', sources: [not('PreAuthentication_Authentication')] },
  { trigger: 'PostAuthentication', title: 'Post authentication', sources: [not('PostAuthentication_Authentication')] },
  { trigger: 'DefineAuthChallenge', title: 'Define auth challenge', sources: [not('DefineAuthChallenge_Authentication')] },
  { trigger: 'CreateAuthChallenge', title: 'Create auth challenge', sources: [not('CreateAuthChallenge_Authentication')] },
  {
    trigger: 'VerifyAuthChallengeResponse',
    title: 'Verify auth challenge response',
    sources: [not('VerifyAuthChallengeResponse_Authentication')],
  },
  {
    trigger: 'PreTokenGeneration',
    title: 'Pre token generation (V1, V2, V3)',
    sources: [
      not('TokenGeneration_HostedAuth'),
      not('TokenGeneration_Authentication'),
      not('TokenGeneration_NewPasswordChallenge'),
      not('TokenGeneration_AuthenticateDevice'),
      not('TokenGeneration_RefreshTokens'),
      not('TokenGeneration_ClientCredentials'),
    ],
  },
  {
    trigger: 'UserMigration',
    title: 'User migration',
    sources: [not('UserMigration_Authentication'), not('UserMigration_ForgotPassword')],
  },
  {
    trigger: 'CustomMessage',
    title: 'Custom message',
    sources: [
      not('CustomMessage_SignUp'),
      not('CustomMessage_AdminCreateUser'),
      not('CustomMessage_ResendCode'),
      not('CustomMessage_ForgotPassword'),
      not('CustomMessage_UpdateUserAttribute'),
      not('CustomMessage_VerifyUserAttribute'),
      not('CustomMessage_Authentication', 'MFA codes: needs MFA (#12)'),
    ],
  },
  {
    trigger: 'CustomEmailSender',
    title: 'Custom email sender',
    sources: [
      not('CustomEmailSender_SignUp'),
      not('CustomEmailSender_AdminCreateUser'),
      not('CustomEmailSender_ResendCode'),
      not('CustomEmailSender_ForgotPassword'),
      not('CustomEmailSender_UpdateUserAttribute'),
      not('CustomEmailSender_VerifyUserAttribute'),
      not('CustomEmailSender_Authentication', 'MFA codes: needs MFA (#12)'),
      not('CustomEmailSender_AccountTakeOverNotification', 'needs threat protection (#12)'),
    ],
  },
  {
    trigger: 'CustomSMSSender',
    title: 'Custom SMS sender',
    sources: [
      not('CustomSMSSender_SignUp'),
      not('CustomSMSSender_AdminCreateUser'),
      not('CustomSMSSender_ResendCode'),
      not('CustomSMSSender_ForgotPassword'),
      not('CustomSMSSender_UpdateUserAttribute'),
      not('CustomSMSSender_VerifyUserAttribute'),
      not('CustomSMSSender_Authentication', 'MFA codes: needs MFA (#12)'),
    ],
  },
];
