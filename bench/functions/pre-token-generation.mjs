// The pre token generation handler of the benchmark's `password-trigger` path, written as AWS's
// developer guide writes a V1 handler: one claim added to the ID token, one suppressed.
export const handler = async (event) => {
  event.response = {
    claimsOverrideDetails: {
      claimsToAddOrOverride: { tenant: 'bench', plan: 'standard' },
      claimsToSuppress: ['email'],
    },
  };
  return event;
};
