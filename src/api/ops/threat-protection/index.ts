import type { AnyOperation } from '../../define-operation.js';
import { setRiskConfiguration } from './set-risk-configuration.js';
import { describeRiskConfiguration } from './describe-risk-configuration.js';
import { adminListUserAuthEvents } from './admin-list-user-auth-events.js';
import { adminUpdateAuthEventFeedback } from './admin-update-auth-event-feedback.js';
import { updateAuthEventFeedback } from './update-auth-event-feedback.js';

/** Threat protection: the risk configuration, and users' auth events with their feedback. */
export const threatProtectionOperations: readonly AnyOperation[] = [
  setRiskConfiguration,
  describeRiskConfiguration,
  adminListUserAuthEvents,
  adminUpdateAuthEventFeedback,
  updateAuthEventFeedback,
];
