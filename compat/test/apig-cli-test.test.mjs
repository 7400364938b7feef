// The unmodified aws-api-gateway-cli-test (the recipe's `npx aws-api-gateway-cli-test …`) against the jar: SRP sign-in
// to the user pool, GetId + GetCredentialsForIdentity at the identity pool, and the SigV4-signed API call. Its only
// help is a preload (apig-endpoint-preload.cjs) that points its Cognito clients at the stack's AwsEndpoint.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminCredentials, newEmail, newPassword, startServer } from './harness.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const compatRoot = path.resolve(here, '..');
const require = createRequire(import.meta.url);
// The package's own bin (package.json "bin": {"apig-test": "index.js"}), run as it is.
const apigTest = path.join(path.dirname(require.resolve('aws-api-gateway-cli-test/package.json')), 'index.js');
const preload = path.join(here, 'apig-endpoint-preload.cjs');
const IDENTITY_ID = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('aws-api-gateway-cli-test (apig-test), unmodified', () => {
  let server;
  let client;
  let admin;
  let email;
  let password;
  let identityId;

  before(async () => {
    server = await startServer();
    client = new CognitoIdentityProviderClient({ region: server.region, endpoint: server.endpoint });
    admin = new CognitoIdentityProviderClient({
      region: server.region,
      endpoint: server.endpoint,
      credentials: await adminCredentials(server),
    });
    // The recipe's user: sign up, then confirm as the admin.
    email = newEmail('apig');
    password = newPassword();
    await client.send(
      new SignUpCommand({
        ClientId: server.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: server.userPoolId, Username: email }));
    identityId = await identityIdOf(email, password);
    assert.match(identityId, IDENTITY_ID);
  });

  after(async () => {
    client?.destroy();
    admin?.destroy();
    await server?.stop();
  });

  /** The user's identity id, found independently of the tool: an id token, then GetId over the raw wire protocol. */
  async function identityIdOf(username, userPassword) {
    const signedIn = await client.send(
      new InitiateAuthCommand({
        ClientId: server.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: userPassword },
      }),
    );
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityService.GetId',
      },
      body: JSON.stringify({
        IdentityPoolId: server.outputs.IdentityPoolId,
        Logins: { [`cognito-idp.${server.region}.amazonaws.com/${server.userPoolId}`]: signedIn.AuthenticationResult.IdToken },
      }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()).IdentityId;
  }

  /**
   * Runs `node --require <preload> <apig-test> <args>` and returns what it printed after its three progress lines,
   * evaluated back into an object (it prints with console.dir).
   */
  async function apigTestCommand(args) {
    const { stdout, stderr } = await run(process.execPath, ['--require', preload, apigTest, ...args], {
      cwd: compatRoot,
      env: { ...process.env, GATEHOUSE_AWS_ENDPOINT: server.endpoint },
      timeout: 60_000,
    });
    const lines = stdout.split('\n');
    assert.deepEqual(
      lines.slice(0, 3),
      ['Authenticating with User Pool', 'Getting temporary credentials', 'Making API request'],
      `apig-test output:\n${stdout}\nstderr:\n${stderr}\nserver log:\n${server.tail()}`,
    );
    const shown = lines.slice(3).join('\n').trim();
    // evaluated in a fresh context, then copied into this one (plain data, so deepEqual compares it as such)
    return { result: JSON.parse(JSON.stringify(vm.runInNewContext(`(${shown})`))), stdout, stderr };
  }

  /** The recipe's options, with this stack's values. */
  function recipeOptions() {
    return [
      `--username=${email}`,
      `--password=${password}`,
      `--user-pool-id=${server.userPoolId}`,
      `--app-client-id=${server.clientId}`,
      `--cognito-region=${server.region}`,
      `--identity-pool-id=${server.outputs.IdentityPoolId}`,
      `--invoke-url=${server.outputs.ApiEndpoint}`,
      `--api-gateway-region=${server.region}`,
    ];
  }

  test('GET /private: SRP sign-in, identity-pool credentials, signed request → 200 Hello <identityId>!', async () => {
    const { result } = await apigTestCommand([...recipeOptions(), '--path-template=/private', '--method=GET']);

    assert.deepEqual(result, { status: 200, statusText: 'OK', data: `Hello ${identityId}!` });
  });

  test("the recipe's exact command: POST /notes → 200 with the caller's identity id as userId", async () => {
    const { result, stdout } = await apigTestCommand([
      ...recipeOptions(),
      '--path-template=/notes',
      '--method=POST',
      '--body={"content":"hello world","attachment":"hello.jpg"}',
    ]);

    assert.equal(result.status, 200, stdout);
    assert.equal(result.statusText, 'OK');
    assert.equal(result.data.userId, identityId);
    assert.match(result.data.noteId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(result.data.content, 'hello world');
    assert.equal(result.data.attachment, 'hello.jpg');
    assert.equal(typeof result.data.createdAt, 'number');
  });

  test('a wrong password: the tool prints Cognito\'s message and makes no request', async () => {
    const args = recipeOptions().map((a) => (a.startsWith('--password=') ? '--password=Wrong-Passw0rd!' : a));
    const { stdout } = await run(process.execPath, ['--require', preload, apigTest, ...args, '--path-template=/private'], {
      cwd: compatRoot,
      env: { ...process.env, GATEHOUSE_AWS_ENDPOINT: server.endpoint },
      timeout: 60_000,
    });

    assert.equal(stdout, 'Authenticating with User Pool\nIncorrect username or password.\n');
  });
});
