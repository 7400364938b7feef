// Amplify JS v6 against Gatehouse, with nothing changed but Auth.Cognito.userPoolEndpoint.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import { newEmail, newPassword, startServer } from './harness.mjs';

// USER_SRP_AUTH landed with issue 3; kept as a flag so a regression can be parked visibly.
const SRP_PENDING = false;

describe('Amplify JS v6', () => {
  let server;

  before(async () => {
    server = await startServer();
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: server.userPoolId,
          userPoolClientId: server.clientId,
          userPoolEndpoint: server.endpoint,
          loginWith: { email: true },
          signUpVerificationMethod: 'code',
        },
      },
    });
  });

  afterEach(async () => {
    // Amplify keeps one signed-in user per process.
    try {
      await signOut();
    } catch {
      // nobody was signed in, or the server refused the revocation: the local session is cleared anyway
    }
  });

  after(async () => {
    await server?.stop();
  });

  async function signUpAndConfirm(email, password) {
    const signedUp = await signUp({ username: email, password, options: { userAttributes: { email } } });
    assert.equal(signedUp.isSignUpComplete, false);
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({ username: email, confirmationCode: await server.codeFor(email) });
    assert.equal(confirmed.isSignUpComplete, true);
    return signedUp;
  }

  async function assertSignedIn(email) {
    const { tokens } = await fetchAuthSession();
    assert.ok(tokens?.accessToken, 'access token');
    assert.equal(tokens.accessToken.payload.token_use, 'access');
    assert.equal(tokens.idToken.payload.email, email);
    const current = await getCurrentUser();
    assert.equal(current.signInDetails?.loginId, email);
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.email, email);
  }

  test('signUp and confirmSignUp with the emailed code', async () => {
    const email = newEmail('amplify');

    const signedUp = await signUpAndConfirm(email, newPassword());

    assert.match(signedUp.userId, /^[0-9a-f-]{36}$/);
    assert.equal(signedUp.nextStep.codeDeliveryDetails?.deliveryMedium, 'EMAIL');
  });

  test('signIn with USER_PASSWORD_AUTH, session, attributes, signOut', async () => {
    const email = newEmail('amplify-password');
    const password = newPassword();
    await signUpAndConfirm(email, password);

    const result = await signIn({ username: email, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });

    assert.equal(result.isSignedIn, true);
    assert.equal(result.nextStep.signInStep, 'DONE');
    await assertSignedIn(email);
    await signOut();
    assert.equal((await fetchAuthSession()).tokens, undefined);
  });

  test('signIn with USER_PASSWORD_AUTH and a wrong password gets NotAuthorizedException', async () => {
    const email = newEmail('amplify-wrong');
    await signUpAndConfirm(email, newPassword());

    await assert.rejects(
      signIn({ username: email, password: newPassword(), options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    );
  });

  test('signIn with the default flow (USER_SRP_AUTH)', { skip: SRP_PENDING }, async () => {
    const email = newEmail('amplify-srp');
    const password = newPassword();
    await signUpAndConfirm(email, password);

    const result = await signIn({ username: email, password });

    assert.equal(result.isSignedIn, true);
    assert.equal(result.nextStep.signInStep, 'DONE');
    await assertSignedIn(email);
  });

  test('signIn with USER_SRP_AUTH and a wrong password gets NotAuthorizedException', { skip: SRP_PENDING }, async () => {
    const email = newEmail('amplify-srp-wrong');
    await signUpAndConfirm(email, newPassword());

    await assert.rejects(signIn({ username: email, password: newPassword() }), {
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});
