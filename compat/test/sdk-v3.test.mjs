// AWS SDK for JavaScript v3 against Gatehouse, with nothing changed but `endpoint`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminCredentials, newEmail, newPassword, startServer } from './harness.mjs';

describe('AWS SDK for JavaScript v3', () => {
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

  async function signUpAndConfirm(email, password) {
    const signedUp = await client.send(
      new SignUpCommand({
        ClientId: server.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const code = await server.codeFor(email);
    await client.send(new ConfirmSignUpCommand({ ClientId: server.clientId, Username: email, ConfirmationCode: code }));
    return signedUp;
  }

  async function signIn(email, password) {
    return client.send(
      new InitiateAuthCommand({
        ClientId: server.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
  }

  test('SignUp, ConfirmSignUp with the emailed code, USER_PASSWORD_AUTH, GetUser', async () => {
    const email = newEmail('sdk');
    const password = newPassword();

    const signedUp = await signUpAndConfirm(email, password);
    assert.equal(signedUp.UserConfirmed, false);
    assert.match(signedUp.UserSub, /^[0-9a-f-]{36}$/);
    assert.equal(signedUp.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(signedUp.CodeDeliveryDetails?.AttributeName, 'email');

    const auth = await signIn(email, password);
    const result = auth.AuthenticationResult;
    assert.ok(result, 'AuthenticationResult');
    assert.equal(result.TokenType, 'Bearer');
    assert.equal(result.ExpiresIn, 3600);
    for (const token of [result.AccessToken, result.IdToken]) {
      assert.equal(token.split('.').length, 3);
    }
    assert.ok(result.RefreshToken);

    const user = await client.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    const attributes = Object.fromEntries(user.UserAttributes.map((a) => [a.Name, a.Value]));
    assert.equal(attributes.email, email);
    assert.equal(attributes.sub, signedUp.UserSub);
    // The default pool signs in by email: the internal username is not the email.
    assert.notEqual(user.Username, email);
  });

  test('REFRESH_TOKEN_AUTH returns new id and access tokens without a refresh token', async () => {
    const email = newEmail('sdk-refresh');
    const password = newPassword();
    await signUpAndConfirm(email, password);
    const first = (await signIn(email, password)).AuthenticationResult;

    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: server.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
      }),
    );

    assert.ok(refreshed.AuthenticationResult.AccessToken);
    assert.notEqual(refreshed.AuthenticationResult.AccessToken, first.AccessToken);
    assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);
  });

  test('a wrong password gets NotAuthorizedException', async () => {
    const email = newEmail('sdk-wrong');
    await signUpAndConfirm(email, newPassword());

    await assert.rejects(signIn(email, newPassword()), (error) => {
      assert.equal(error.name, 'NotAuthorizedException');
      assert.equal(error.message, 'Incorrect username or password.');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  test('USER_PASSWORD_AUTH for an unknown user fails like a wrong password', async () => {
    // The default app client hides user existence (PreventUserExistenceErrors ENABLED).
    await assert.rejects(signIn(newEmail('sdk-nobody'), newPassword()), {
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test('an unconfirmed user cannot sign in', async () => {
    const email = newEmail('sdk-unconfirmed');
    const password = newPassword();
    await client.send(
      new SignUpCommand({
        ClientId: server.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );

    await assert.rejects(signIn(email, password), { name: 'UserNotConfirmedException' });
  });

  test('a wrong confirmation code gets CodeMismatchException', async () => {
    const email = newEmail('sdk-code');
    await client.send(
      new SignUpCommand({
        ClientId: server.clientId,
        Username: email,
        Password: newPassword(),
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const code = await server.codeFor(email);
    const wrong = code === '000000' ? '111111' : '000000';

    await assert.rejects(
      client.send(new ConfirmSignUpCommand({ ClientId: server.clientId, Username: email, ConfirmationCode: wrong })),
      { name: 'CodeMismatchException' },
    );
  });

  test('AdminGetUser signed with the admin credentials', async () => {
    const email = newEmail('sdk-admin');
    await signUpAndConfirm(email, newPassword());
    const admin = new CognitoIdentityProviderClient({
      region: server.region,
      endpoint: server.endpoint,
      credentials: await adminCredentials(server),
    });
    try {
      const user = await admin.send(new AdminGetUserCommand({ UserPoolId: server.userPoolId, Username: email }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.Enabled, true);
    } finally {
      admin.destroy();
    }
  });
});
