// SMS and email one-time codes against Gatehouse, with unmodified clients: Amplify JS v6 (signIn / confirmSignIn
// for SMS_MFA, SELECT_MFA_TYPE then EMAIL_OTP, and the email MFA setup a pool with MFA ON asks for) and
// amazon-cognito-identity-js (mfaRequired, then sendMFACode). Codes are read from the server's outbox.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, signIn, signOut } from 'aws-amplify/auth';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminCredentials, newEmail, newPassword, startServer } from './harness.mjs';

function newPhone() {
  return `+1555${String(parseInt(randomUUID().slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`;
}

describe('SMS and email MFA codes', () => {
  let server;
  let admin;

  before(async () => {
    server = await startServer();
    admin = new CognitoIdentityProviderClient({
      region: server.region,
      endpoint: server.endpoint,
      credentials: await adminCredentials(server),
    });
  });

  afterEach(async () => {
    try {
      await signOut();
    } catch {
      // nobody was signed in
    }
  });

  after(async () => {
    admin?.destroy();
    await server?.stop();
  });

  /**
   * A pool with the MFA configuration given, Amplify configured on it, one user with the attributes and MFA
   * preference given and a permanent password.
   */
  async function poolWith(mfa, attributes, preference) {
    const pool = await admin.send(new CreateUserPoolCommand({ PoolName: `codes-${Date.now()}` }));
    const poolId = pool.UserPool.Id;
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
    const client = await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'amplify',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    const clientId = client.UserPoolClient.ClientId;
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.endpoint } },
    });
    const username = `codes${Date.now()}`;
    const password = newPassword();
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }));
    await admin.send(new AdminSetUserPasswordCommand({
      UserPoolId: poolId, Username: username, Password: password, Permanent: true,
    }));
    if (preference) {
      await admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, ...preference }));
    }
    return { poolId, clientId, username, password };
  }

  test('Amplify: signIn with SMS MFA preferred asks for the SMS code, confirmSignIn finishes', async () => {
    const phone = newPhone();
    const { username, password } = await poolWith(
      { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' }, MfaConfiguration: 'OPTIONAL' },
      { phone_number: phone },
      { SMSMfaSettings: { Enabled: true, PreferredMfa: true } },
    );

    const first = await signIn({ username, password });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.deepEqual(first.nextStep.codeDeliveryDetails, {
      deliveryMedium: 'SMS',
      destination: `+*******${phone.slice(-4)}`,
    });
    const code = await server.codeFor(phone, { purpose: 'SMS_MFA' });
    await assert.rejects(confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' }),
      { name: 'CodeMismatchException' });

    const again = await signIn({ username, password });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const done = await confirmSignIn({ challengeResponse: await server.codeFor(phone, { purpose: 'SMS_MFA' }) });
    assert.equal(done.isSignedIn, true);
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['SMS'], preferred: 'SMS' });
  });

  test('Amplify: two factors and none preferred: MFA selection, then the email code', async () => {
    const email = newEmail('select');
    const { username, password } = await poolWith(
      { SmsMfaConfiguration: {}, EmailMfaConfiguration: {}, MfaConfiguration: 'OPTIONAL' },
      { phone_number: newPhone(), email },
      { SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } },
    );

    const first = await signIn({ username, password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    assert.deepEqual(first.nextStep.allowedMFATypes, ['SMS', 'EMAIL']);
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(chosen.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const done = await confirmSignIn({ challengeResponse: await server.codeFor(email, { purpose: 'EMAIL_OTP' }) });
    assert.equal(done.isSignedIn, true);
  });

  test('Amplify: pool MFA ON, no factor: setup selection, email setup, then the email code', async () => {
    const email = newEmail('setup');
    const { username, password } = await poolWith(
      { SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {}, MfaConfiguration: 'ON' },
      {},
    );

    const first = await signIn({ username, password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    assert.deepEqual(first.nextStep.allowedMFATypes, ['TOTP', 'EMAIL']);
    const setup = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const sent = await confirmSignIn({ challengeResponse: email });
    assert.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await server.codeFor(email, { purpose: 'EMAIL_OTP' }) });
    assert.equal(done.isSignedIn, true);
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['EMAIL'], preferred: 'EMAIL' });
  });

  test('amazon-cognito-identity-js: mfaRequired after SRP, sendMFACode with the SMS code', async () => {
    const phone = newPhone();
    const { poolId, clientId, username, password } = await poolWith(
      { SmsMfaConfiguration: {}, MfaConfiguration: 'OPTIONAL' },
      { phone_number: phone },
      { SMSMfaSettings: { Enabled: true } },
    );
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.endpoint });
    const user = new CognitoUser({ Username: username, Pool: pool });
    const session = await new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        mfaRequired: (challengeName, parameters) => {
          try {
            assert.equal(challengeName, 'SMS_MFA');
            assert.equal(parameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
          } catch (error) {
            reject(error);
            return;
          }
          server.codeFor(phone, { purpose: 'SMS_MFA' })
            .then((code) => user.sendMFACode(code, callbacks))
            .catch(reject);
        },
        totpRequired: () => reject(new Error('unexpected SOFTWARE_TOKEN_MFA')),
      };
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
    });
    assert.equal(session.isValid(), true);
  });
});
