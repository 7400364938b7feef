// amazon-cognito-identity-js 6's custom authentication against Gatehouse: initiateAuth + sendCustomChallengeAnswer
// (CUSTOM_AUTH without a password) and authenticateUser with authenticationFlowType CUSTOM_AUTH (SRP_A, then
// PASSWORD_VERIFIER, then the custom challenge). The triggers are examples/custom-auth's Node.js handlers, run by
// the server from a template written here; CreateAuthChallenge "delivers" each code to <codes>/<userName>.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } from 'amazon-cognito-identity-js';
import { newEmail, newPassword, startServer } from './harness.mjs';

const handlers = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'custom-auth', 'nodejs', 'handlers.js');

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  CodeDir: {Type: String}
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: nodejs
    Timeout: 5
    Environment: {Variables: {CODE_DIR: !Ref CodeDir}}
Resources:
  Define: {Type: AWS::Serverless::Function, Properties: {Handler: handlers.define}}
  Create: {Type: AWS::Serverless::Function, Properties: {Handler: handlers.create}}
  Verify: {Type: AWS::Serverless::Function, Properties: {Handler: handlers.verify}}
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      UsernameAttributes: [email]
      AutoVerifiedAttributes: [email]
      LambdaConfig:
        DefineAuthChallenge: !GetAtt Define.Arn
        CreateAuthChallenge: !GetAtt Create.Arn
        VerifyAuthChallengeResponse: !GetAtt Verify.Arn
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Users
      ExplicitAuthFlows: [ALLOW_CUSTOM_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
Outputs:
  Region: {Value: !Ref AWS::Region}
  UserPoolId: {Value: !Ref Users}
  UserPoolClientId: {Value: !Ref Client}
`;

describe('amazon-cognito-identity-js custom authentication', () => {
  let app;
  let codes;
  let server;
  let pool;

  before(async () => {
    app = await mkdtemp(path.join(tmpdir(), 'gatehouse-custom-auth-'));
    codes = path.join(app, 'codes');
    await mkdir(path.join(app, 'nodejs'));
    await copyFile(handlers, path.join(app, 'nodejs', 'handlers.js'));
    await writeFile(path.join(app, 'template.yaml'), TEMPLATE);
    server = await startServer({
      args: ['--template', path.join(app, 'template.yaml'), '--parameter-overrides', `CodeDir=${codes}`],
    });
    pool = new CognitoUserPool({ UserPoolId: server.userPoolId, ClientId: server.clientId, endpoint: server.endpoint });
  });

  after(async () => {
    await server?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  async function signedUp(email, password) {
    const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email })];
    const result = await new Promise((resolve, reject) => {
      pool.signUp(email, password, attributes, null, (error, r) => (error ? reject(error) : resolve(r)));
    });
    const code = await server.codeFor(email);
    await new Promise((resolve, reject) => {
      result.user.confirmRegistration(code, false, (error, r) => (error ? reject(error) : resolve(r)));
    });
    return result.userSub;
  }

  /** The callbacks of one step: resolves with {challenge} or {session}, rejects on failure. */
  function step(resolve, reject) {
    return {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      customChallenge: (parameters) => resolve({ challenge: parameters }),
    };
  }

  function initiate(user, email) {
    return new Promise((resolve, reject) => {
      user.initiateAuth(new AuthenticationDetails({ Username: email }), step(resolve, reject));
    });
  }

  function authenticate(user, email, password) {
    return new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), step(resolve, reject));
    });
  }

  function answer(user, value) {
    return new Promise((resolve, reject) => user.sendCustomChallengeAnswer(value, step(resolve, reject)));
  }

  const delivered = (userName) => readFile(path.join(codes, userName), 'utf8');

  test('initiateAuth (CUSTOM_AUTH) then sendCustomChallengeAnswer with the delivered code signs in', async () => {
    const email = newEmail('custom');
    const sub = await signedUp(email, newPassword());
    const user = new CognitoUser({ Username: email, Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');

    const first = await initiate(user, email);
    assert.equal(first.challenge.delivery, 'outbox');
    assert.equal(first.challenge.triesLeft, '3');
    const wrong = await answer(user, '000000x');
    assert.equal(wrong.challenge.triesLeft, '2');
    const done = await answer(user, await delivered(sub));

    assert.equal(done.session.isValid(), true);
    assert.equal(done.session.getIdToken().decodePayload().email, email);
  });

  test('three wrong answers fail with NotAuthorizedException', async () => {
    const email = newEmail('custom-wrong');
    await signedUp(email, newPassword());
    const user = new CognitoUser({ Username: email, Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    await initiate(user, email);
    await answer(user, 'wrong');
    await answer(user, 'wrong');

    await assert.rejects(answer(user, 'wrong'), {
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test('authenticateUser with CUSTOM_AUTH checks the password by SRP first, then the code', async () => {
    const email = newEmail('custom-srp');
    const password = newPassword();
    const sub = await signedUp(email, password);
    const user = new CognitoUser({ Username: email, Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');

    const challenged = await authenticate(user, email, password);
    assert.equal(challenged.challenge.USERNAME, sub);
    const done = await answer(user, await delivered(sub));

    assert.equal(done.session.getAccessToken().decodePayload().username, sub);
    const other = new CognitoUser({ Username: email, Pool: pool });
    other.setAuthenticationFlowType('CUSTOM_AUTH');
    await assert.rejects(authenticate(other, email, newPassword()), { code: 'NotAuthorizedException' });
  });
});
