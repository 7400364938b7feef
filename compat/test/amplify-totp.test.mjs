// Amplify JS v6's TOTP flows against Gatehouse: setup during sign-in (pool MFA ON: MFA_SETUP answered through
// AssociateSoftwareToken and VerifySoftwareToken with the challenge's Session) and setUpTOTP / verifyTOTPSetup /
// updateMFAPreference for a signed-in user, then confirmSignIn with a TOTP code after SRP sign-in.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminCredentials, newPassword, startServer } from './harness.mjs';

/** What an authenticator app shows for a base32 secret, `offset` 30-second steps from now (RFC 6238, SHA-1). */
function totp(secret, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) {
    key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const hash = createHmac('sha1', key).update(counter).digest();
  const at = hash[hash.length - 1] & 0xf;
  return String((hash.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('Amplify JS v6 TOTP', () => {
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

  /** A pool with TOTP and the given MFA mode, Amplify configured on it, and one user with a permanent password. */
  async function poolWith(mode) {
    const pool = await admin.send(new CreateUserPoolCommand({ PoolName: `totp-${mode}-${Date.now()}` }));
    const poolId = pool.UserPool.Id;
    await admin.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      SoftwareTokenMfaConfiguration: { Enabled: true },
      MfaConfiguration: mode,
    }));
    const client = await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'amplify',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: poolId,
          userPoolClientId: client.UserPoolClient.ClientId,
          userPoolEndpoint: server.endpoint,
        },
      },
    });
    const username = `totp${Date.now()}`;
    const password = newPassword();
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({
      UserPoolId: poolId, Username: username, Password: password, Permanent: true,
    }));
    return { username, password };
  }

  test('pool MFA ON: signIn asks for TOTP setup, confirmSignIn finishes it, the next signIn asks for a code',
    async () => {
      const { username, password } = await poolWith('ON');

      const first = await signIn({ username, password });
      assert.equal(first.isSignedIn, false);
      assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
      const secret = first.nextStep.totpSetupDetails.sharedSecret;
      assert.match(secret, /^[A-Z2-7]{52}$/);
      assert.match(first.nextStep.totpSetupDetails.getSetupUri('Gatehouse').href, /^otpauth:\/\/totp\//);

      // the code is kept: computing it again later can land in the next 30-second step, which is not a replay
      const setUpCode = totp(secret);
      const setUp = await confirmSignIn({ challengeResponse: setUpCode });
      assert.equal(setUp.isSignedIn, true);
      assert.equal(setUp.nextStep.signInStep, 'DONE');
      assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
      await signOut();

      const again = await signIn({ username, password });
      assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      await assert.rejects(confirmSignIn({ challengeResponse: setUpCode }), { name: 'ExpiredCodeException' });
      const retry = await signIn({ username, password });
      assert.equal(retry.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      const done = await confirmSignIn({ challengeResponse: totp(secret, 1) });
      assert.equal(done.isSignedIn, true);
    });

  test('pool MFA OPTIONAL: setUpTOTP, verifyTOTPSetup, updateMFAPreference, then signIn with a code', async () => {
    const { username, password } = await poolWith('OPTIONAL');
    const plain = await signIn({ username, password });
    assert.equal(plain.isSignedIn, true, 'no factor yet: no MFA');

    const details = await setUpTOTP();
    await assert.rejects(verifyTOTPSetup({ code: '000000' === totp(details.sharedSecret) ? '111111' : '000000' }),
      { name: 'EnableSoftwareTokenMFAException' });
    await verifyTOTPSetup({ code: totp(details.sharedSecret), options: { friendlyDeviceName: 'phone' } });
    await updateMFAPreference({ totp: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();

    const challenged = await signIn({ username, password });
    assert.equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await assert.rejects(confirmSignIn({ challengeResponse: '12345' }));
    const again = await signIn({ username, password });
    const done = await confirmSignIn({ challengeResponse: totp(details.sharedSecret, 1) });
    assert.equal(done.isSignedIn, true);
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  });
});
