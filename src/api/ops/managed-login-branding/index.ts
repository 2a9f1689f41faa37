import type { AnyOperation } from '../../define-operation.js';
import { createManagedLoginBranding } from './create-managed-login-branding.js';
import { describeManagedLoginBranding } from './describe-managed-login-branding.js';
import { describeManagedLoginBrandingByClient } from './describe-managed-login-branding-by-client.js';
import { updateManagedLoginBranding } from './update-managed-login-branding.js';
import { deleteManagedLoginBranding } from './delete-managed-login-branding.js';

/** The managed login branding operations (the branding editor's styles), one module each. */
export const managedLoginBrandingOperations: readonly AnyOperation[] = [
  createManagedLoginBranding,
  describeManagedLoginBranding,
  describeManagedLoginBrandingByClient,
  updateManagedLoginBranding,
  deleteManagedLoginBranding,
];
