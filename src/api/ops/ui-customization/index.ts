import type { AnyOperation } from '../../define-operation.js';
import { setUICustomization } from './set-ui-customization.js';
import { getUICustomization } from './get-ui-customization.js';

/** The classic hosted-UI branding operations, one module each. */
export const uiCustomizationOperations: readonly AnyOperation[] = [setUICustomization, getUICustomization];
