// USER_SRP_AUTH on the wire, driven by hand through the AWS SDK for JavaScript v3: the challenge parameters
// clients read, degenerate SRP_A values, and the simulated answer for users that do not exist.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SRP_N, newEmail, newPassword, srpModPow, startServer } from './harness.mjs';

// USER_SRP_AUTH landed with issue 3; kept as a flag so a regression can be parked visibly.
const SRP_PENDING = false;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function srpA() {
  const a = BigInt(`0x${randomBytes(128).toString('hex')}`);
  return srpModPow(2n, a).toString(16);
}

describe('USER_SRP_AUTH on the wire', () => {
  let server;
  let client;

  before(async () => {
    server = await startServer();
    client = new CognitoIdentityProviderClient({ region: server.region, endpoint: server.endpoint });
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
  });

  function initiate(username, a = srpA()) {
    return client.send(
      new InitiateAuthCommand({
        ClientId: server.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: username, SRP_A: a },
      }),
    );
  }

  function assertChallenge(response) {
    assert.equal(response.ChallengeName, 'PASSWORD_VERIFIER');
    assert.ok(response.Session.length >= 20, 'Session of at least 20 characters');
    const parameters = response.ChallengeParameters;
    assert.match(parameters.SALT, /^[0-9a-f]+$/);
    assert.match(parameters.SRP_B, /^[0-9a-f]+$/);
    const b = BigInt(`0x${parameters.SRP_B}`);
    assert.ok(b % SRP_N !== 0n && b < SRP_N, 'SRP_B in (0, N)');
    assert.ok(Buffer.from(parameters.SECRET_BLOCK, 'base64').length > 0, 'SECRET_BLOCK is base64');
    assert.match(parameters.USER_ID_FOR_SRP, UUID);
    return parameters;
  }

  test('a known user gets PASSWORD_VERIFIER with its internal username', { skip: SRP_PENDING }, async () => {
    const email = newEmail('wire');
    const signedUp = await client.send(
      new SignUpCommand({
        ClientId: server.clientId,
        Username: email,
        Password: newPassword(),
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const code = await server.codeFor(email);
    await client.send(new ConfirmSignUpCommand({ ClientId: server.clientId, Username: email, ConfirmationCode: code }));

    const first = assertChallenge(await initiate(email));
    const second = assertChallenge(await initiate(email));

    assert.notEqual(first.USER_ID_FOR_SRP, email);
    assert.equal(first.USER_ID_FOR_SRP, second.USER_ID_FOR_SRP);
    assert.equal(first.SALT, second.SALT);
    assert.notEqual(first.SRP_B, second.SRP_B);
    assert.notEqual(first.SECRET_BLOCK, second.SECRET_BLOCK);
    assert.ok(signedUp.UserSub);
  });

  test('an unknown user gets a simulated challenge, stable across calls and restarts', { skip: SRP_PENDING }, async () => {
    const email = newEmail('wire-nobody');

    const first = assertChallenge(await initiate(email));
    const second = assertChallenge(await initiate(email));
    await server.restart();
    client.destroy();
    client = new CognitoIdentityProviderClient({ region: server.region, endpoint: server.endpoint });
    const afterRestart = assertChallenge(await initiate(email));

    assert.equal(second.SALT, first.SALT);
    assert.equal(second.USER_ID_FOR_SRP, first.USER_ID_FOR_SRP);
    assert.notEqual(second.SRP_B, first.SRP_B);
    assert.equal(afterRestart.SALT, first.SALT);
    assert.equal(afterRestart.USER_ID_FOR_SRP, first.USER_ID_FOR_SRP);
    assert.notEqual(assertChallenge(await initiate(newEmail('wire-nobody'))).SALT, first.SALT);
  });

  test('SRP_A = 0, N or 2N is refused', { skip: SRP_PENDING }, async () => {
    const email = newEmail('wire-degenerate');
    for (const a of [0n, SRP_N, 2n * SRP_N]) {
      await assert.rejects(initiate(email, a.toString(16)), (error) => {
        // Cognito's exact code for a degenerate SRP_A is not documented; either is a refusal.
        assert.ok(['NotAuthorizedException', 'InvalidParameterException'].includes(error.name), error.name);
        return true;
      });
    }
  });
});
