import type { EventType } from '../generated/cognito-idp/shapes.js';

/**
 * The audit events that are auth events, and the EventType each one is: what
 * AdminListUserAuthEvents lists and what a pool's `userAuthEvents` log delivery exports.
 */
export const AUTH_EVENT_TYPES: Readonly<Record<string, EventType>> = {
  SignIn: 'SignIn',
  SignUp: 'SignUp',
  ForgotPassword: 'ForgotPassword',
  ChangePassword: 'PasswordChange',
  ConfirmForgotPassword: 'PasswordChange',
  ResendConfirmationCode: 'ResendCode',
};
