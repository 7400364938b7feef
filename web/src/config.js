// The stack's configuration, read at run time from the web endpoint's /config.json (built from the stack's outputs),
// turned into Amplify's configuration: the same build works against any ports.
import { Amplify } from 'aws-amplify';

/** Fetches /config.json; throws an Error with a readable message when it cannot. */
export async function loadConfig() {
  let response;
  try {
    response = await fetch('/config.json', { cache: 'no-store' });
  } catch {
    throw new Error('Cannot reach the server to load the app configuration.');
  }
  if (!response.ok) {
    throw new Error(`The server did not give the app configuration (HTTP ${response.status}).`);
  }
  return response.json();
}

/** Amplify's resource configuration for the stack described by `config`. */
export function amplifyConfig(config) {
  const resources = {
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        identityPoolId: config.identityPoolId,
        userPoolEndpoint: config.awsEndpoint,
        identityPoolEndpoint: config.awsEndpoint,
        allowGuestAccess: false,
        loginWith: { email: true },
        signUpVerificationMethod: 'code',
      },
    },
    API: {
      REST: {
        notes: { endpoint: config.apiEndpoint, region: config.region },
      },
    },
  };
  if (config.attachmentsBucket) {
    resources.Storage = {
      S3: {
        bucket: config.attachmentsBucket,
        region: config.region,
        // Path-style requests to the stack's AWS endpoint (see vite.config.js for why this option needs a patch).
        dangerouslyConnectToHttpEndpointForTesting: config.awsEndpoint,
      },
    };
  }
  return resources;
}

/** Loads the configuration and configures Amplify; returns the configuration. */
export async function configureAmplify() {
  const config = await loadConfig();
  Amplify.configure(amplifyConfig(config));
  return config;
}
