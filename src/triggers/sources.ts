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

const fired = (source: string, provenBy: string): TriggerSourceEntry => ({ source, provenBy });

export const TRIGGER_SOURCES: ReadonlyArray<{ trigger: TriggerName; title: string; sources: TriggerSourceEntry[] }> = [
  {
    trigger: 'PreSignUp',
    title: 'Pre sign-up',
    sources: [
      fired('PreSignUp_SignUp', 'test/triggers/sign-up.test.ts'),
      fired('PreSignUp_AdminCreateUser', 'test/triggers/sign-up.test.ts'),
      fired('PreSignUp_ExternalProvider', 'test/triggers/sign-up-federation.test.ts'),
    ],
  },
  {
    trigger: 'PostConfirmation',
    title: 'Post confirmation',
    sources: [
      fired('PostConfirmation_ConfirmSignUp', 'test/triggers/sign-up.test.ts'),
      fired('PostConfirmation_ConfirmForgotPassword', 'test/triggers/sign-up.test.ts'),
    ],
  },
  {
    trigger: 'PreAuthentication',
    title: 'Pre authentication',
    sources: [fired('PreAuthentication_Authentication', 'test/triggers/authentication.test.ts')],
  },
  {
    trigger: 'PostAuthentication',
    title: 'Post authentication',
    sources: [fired('PostAuthentication_Authentication', 'test/triggers/authentication.test.ts')],
  },
  {
    trigger: 'DefineAuthChallenge',
    title: 'Define auth challenge',
    sources: [fired('DefineAuthChallenge_Authentication', 'test/triggers/custom-auth.test.ts')],
  },
  {
    trigger: 'CreateAuthChallenge',
    title: 'Create auth challenge',
    sources: [fired('CreateAuthChallenge_Authentication', 'test/triggers/custom-auth.test.ts')],
  },
  {
    trigger: 'VerifyAuthChallengeResponse',
    title: 'Verify auth challenge response',
    sources: [fired('VerifyAuthChallengeResponse_Authentication', 'test/triggers/custom-auth.test.ts')],
  },
  {
    trigger: 'PreTokenGeneration',
    title: 'Pre token generation (V1, V2, V3)',
    sources: [
      fired('TokenGeneration_HostedAuth', 'test/triggers/pre-token-generation.test.ts'),
      fired('TokenGeneration_Authentication', 'test/triggers/pre-token-generation.test.ts'),
      fired('TokenGeneration_NewPasswordChallenge', 'test/triggers/pre-token-generation.test.ts'),
      fired('TokenGeneration_AuthenticateDevice', 'test/triggers/pre-token-generation.test.ts'),
      fired('TokenGeneration_RefreshTokens', 'test/triggers/pre-token-generation.test.ts'),
      fired('TokenGeneration_ClientCredentials', 'test/triggers/pre-token-generation.test.ts'),
    ],
  },
  {
    trigger: 'UserMigration',
    title: 'User migration',
    sources: [
      fired('UserMigration_Authentication', 'test/triggers/user-migration.test.ts'),
      fired('UserMigration_ForgotPassword', 'test/triggers/user-migration.test.ts'),
    ],
  },
  {
    trigger: 'CustomMessage',
    title: 'Custom message',
    sources: [
      fired('CustomMessage_SignUp', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_AdminCreateUser', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_ResendCode', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_ForgotPassword', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_UpdateUserAttribute', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_VerifyUserAttribute', 'test/triggers/custom-message.test.ts'),
      fired('CustomMessage_Authentication', 'test/triggers/mfa-messages.test.ts'),
    ],
  },
  {
    trigger: 'CustomEmailSender',
    title: 'Custom email sender',
    sources: [
      fired('CustomEmailSender_SignUp', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_AdminCreateUser', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_ResendCode', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_ForgotPassword', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_UpdateUserAttribute', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_VerifyUserAttribute', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_Authentication', 'test/triggers/custom-senders.test.ts'),
      fired('CustomEmailSender_AccountTakeOverNotification', 'test/triggers/custom-senders.test.ts'),
    ],
  },
  {
    trigger: 'CustomSMSSender',
    title: 'Custom SMS sender',
    sources: [
      fired('CustomSMSSender_SignUp', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_AdminCreateUser', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_ResendCode', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_ForgotPassword', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_UpdateUserAttribute', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_VerifyUserAttribute', 'test/triggers/custom-senders.test.ts'),
      fired('CustomSMSSender_Authentication', 'test/triggers/custom-senders.test.ts'),
    ],
  },
];
