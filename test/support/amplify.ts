import { Amplify } from 'aws-amplify';

/** What an app configures Amplify v6 with for a user pool and an identity pool on Cognate. */
export interface AmplifyPools {
  userPoolId: string;
  clientId: string;
  identityPoolId: string;
  allowGuestAccess?: boolean;
}

/** Configures Amplify v6 as an app does, the endpoints (`userPoolEndpoint`, `identityPoolEndpoint`) being the only change for Cognate. */
export function configureAmplifyPools(url: string, pools: AmplifyPools): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: pools.userPoolId,
        userPoolClientId: pools.clientId,
        userPoolEndpoint: url,
        identityPoolId: pools.identityPoolId,
        identityPoolEndpoint: url,
        allowGuestAccess: pools.allowGuestAccess ?? false,
      },
    },
  });
}
