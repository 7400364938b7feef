// The notes web app in a real browser against a stack started from the jar: sign up, confirm with the emailed code,
// sign in (SRP), reset the password, create a note with an attachment, edit it, reload (session restore), list,
// download the attachment, delete it, sign out, and be refused on the notes page when signed out.
// Screenshots of every page go to web/target/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { newEmail, newPassword, startServer } from '../../compat/test/harness.mjs';
import { launchBrowser, snap } from './browser.mjs';

/** GET with the path sent exactly as given; resolves to the status code. */
function rawGet(base, rawPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: rawPath }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

describe('notes web app in Chromium', () => {
  let server;
  let browser;
  let page;
  let web;
  let config;
  const email = newEmail('web');
  let password = newPassword();
  const attachment = { name: 'hello report.txt', mimeType: 'text/plain', buffer: randomBytes(3000) };
  const state = {};

  before(async () => {
    server = await startServer();
    web = server.outputs.WebEndpoint;
    assert.ok(web, `no WebEndpoint in the outputs: ${JSON.stringify(server.outputs)}`);
    config = await (await fetch(`${web}/config.json`)).json();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('dialog', (dialog) => dialog.accept());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const path = () => new URL(page.url()).pathname;
  const search = () => new URL(page.url()).searchParams;
  const error = () => page.getByTestId('error');
  const notice = () => page.getByTestId('notice');

  async function notesApiPresent() {
    // An AWS_IAM route answers an unsigned call with 403; a route that does not exist answers 404.
    const response = await fetch(`${server.outputs.ApiEndpoint}/notes`);
    return response.status !== 404;
  }

  test('config.json carries the stack outputs the app needs, and no file paths', async () => {
    assert.equal(config.userPoolId, server.outputs.UserPoolId);
    assert.equal(config.userPoolClientId, server.outputs.UserPoolClientId);
    assert.equal(config.identityPoolId, server.outputs.IdentityPoolId);
    assert.equal(config.awsEndpoint, server.outputs.AwsEndpoint);
    assert.equal(config.apiEndpoint, server.outputs.ApiEndpoint);
    assert.equal(config.region, server.outputs.Region);
    assert.ok(!JSON.stringify(config).includes(server.outputs.AdminCredentialsFile));
  });

  test('signed out, the notes page sends you to sign in', async () => {
    await page.goto(`${web}/notes`);
    await page.waitForURL((url) => url.pathname === '/signin');
    assert.equal(search().get('next'), '/notes');
    await notice().getByText('Please sign in to see your notes.').waitFor();
    await snap(page, '01-signed-out-notes-refused');
  });

  test('sign up', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL((url) => url.pathname === '/signup');
    await page.getByLabel('Email').fill(email);
    // too short: the page's own sentence, never the API's "1 validation error detected: Value at 'password'…"
    await page.getByLabel('Password', { exact: true }).fill('Ab1!');
    await page.getByLabel('Repeat password').fill('Ab1!');
    await page.getByRole('button', { name: 'Create account' }).click();
    await error().getByText('Choose a password of at least 8 characters', { exact: false }).waitFor();
    assert.doesNotMatch(await error().innerText(), /validation error/);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat password').fill(`${password}x`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await error().getByText('The passwords do not match.').waitFor();
    await page.getByLabel('Repeat password').fill(password);
    await snap(page, '02-sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/confirm');
    await notice().getByText(`We emailed a confirmation code to ${email}.`).waitFor();
    // locally there is no mail server by default: the page says where the code is
    await page.getByTestId('outbox-hint').getByText('.gatehouse/outbox.jsonl', { exact: false }).waitFor();
  });

  test('signing in before confirming offers to confirm the account', async () => {
    await page.goto(`${web}/signin?email=${encodeURIComponent(email)}`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await error().getByText('This account is not confirmed yet.', { exact: false }).waitFor();
    await snap(page, '03-sign-in-unconfirmed');
    await page.getByRole('button', { name: 'Confirm my account' }).click();
    await page.waitForURL((url) => url.pathname === '/confirm');
  });

  test('confirm: a wrong code is refused, the emailed code confirms', async () => {
    const code = await server.codeFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Confirmation code').fill(wrong);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await error().getByText('That code is not right.', { exact: false }).waitFor();
    await snap(page, '04-confirm-wrong-code');
    await page.getByLabel('Confirmation code').fill(code);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('confirmed') === '1');
    await notice().getByText('Your account is confirmed.', { exact: false }).waitFor();
  });

  test('sign in: a wrong password is refused, a network failure is explained', async () => {
    await page.getByLabel('Password').fill(`${password}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await error().getByText('Incorrect email or password.').waitFor();
    await snap(page, '05-sign-in-wrong-password');

    await page.route(`${config.awsEndpoint}/**`, (route) => route.abort('connectionrefused'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await error().getByText('Cannot reach the server.', { exact: false }).waitFor();
    await snap(page, '06-sign-in-network-failure');
    await page.unroute(`${config.awsEndpoint}/**`);
  });

  test('reset password: emailed code, new password', async () => {
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL((url) => url.pathname === '/reset');
    await page.getByRole('button', { name: 'Send reset code' }).click();
    await page.getByLabel('Reset code').waitFor();
    const code = await server.codeFor(email, { purpose: 'FORGOT_PASSWORD' });
    password = newPassword();
    await page.getByLabel('Reset code').fill(code === '000000' ? '111111' : '000000');
    await page.getByLabel('New password').fill(password);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await error().getByText('That code is not right.', { exact: false }).waitFor();
    await snap(page, '07-reset-password');
    await page.getByLabel('Reset code').fill(code);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('reset') === '1');
  });

  test('sign in with SRP lands on the notes list', async () => {
    await page.getByLabel('Password').fill(password);
    await snap(page, '08-sign-in');
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, '08-sign-in-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/notes');
    await page.getByTestId('who').getByText(email).waitFor();
    await page.getByRole('heading', { name: 'Your notes' }).waitFor();
    await page.locator('.spinner-row').waitFor({ state: 'detached' });
    await snap(page, '09-notes-list-empty');
  });

  test('create a note with an attachment', async (t) => {
    if (!(await notesApiPresent())) {
      t.skip('the notes API is not in this build');
      return;
    }
    await page.getByTestId('new-note').click();
    await page.waitForURL((url) => url.pathname === '/notes/new');
    // the API's limit, 64 KiB of UTF-8, counted the same way: 'é' is two bytes
    await page.getByLabel('Note').fill('é'.repeat(32 * 1024 + 1));
    await page.getByTestId('content-size').getByText(/65.?538 \/ 65.?536 bytes/).waitFor();
    await page.getByRole('button', { name: 'Create note' }).click();
    await error().getByText('The note is too long', { exact: false }).waitFor();
    await page.getByLabel('Note').fill('Groceries\nmilk, eggs, bread');
    if (config.attachmentsBucket) {
      await page.getByLabel('Attachment').setInputFiles(attachment);
    }
    await snap(page, '10-new-note');
    await page.getByRole('button', { name: 'Create note' }).click();
    await page.waitForURL((url) => /^\/notes\/[0-9a-f-]{36}$/.test(url.pathname));
    state.noteId = path().split('/').pop();
    await page.getByRole('heading', { name: 'Edit note' }).waitFor();
    assert.equal(await page.getByLabel('Note').inputValue(), 'Groceries\nmilk, eggs, bread');
    if (config.attachmentsBucket) {
      await page.getByTestId('attachment-link').getByText('hello_report.txt').waitFor();
    }
  });

  test('edit the note, then reload: the session and the note are restored', async (t) => {
    if (!state.noteId) {
      t.skip('no note was created');
      return;
    }
    await page.getByLabel('Note').fill('Groceries\nmilk, eggs, bread, coffee');
    await page.getByRole('button', { name: 'Save' }).click();
    await notice().getByText('Saved.').waitFor();
    await snap(page, '11-note-detail');

    await page.reload();
    await page.getByRole('heading', { name: 'Edit note' }).waitFor();
    assert.equal(path(), `/notes/${state.noteId}`);
    assert.equal(await page.getByLabel('Note').inputValue(), 'Groceries\nmilk, eggs, bread, coffee');
    await page.getByTestId('who').getByText(email).waitFor();
  });

  test('the list shows the note; on a phone too', async (t) => {
    if (!state.noteId) {
      t.skip('no note was created');
      return;
    }
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL((url) => url.pathname === '/notes');
    // A second note, without an attachment: the list is newest first.
    await page.getByTestId('new-note').click();
    await page.getByLabel('Note').fill('Call the plumber\nThursday morning, about the kitchen sink');
    await page.getByRole('button', { name: 'Create note' }).click();
    await page.waitForURL((url) => /^\/notes\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(state.noteId));
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL((url) => url.pathname === '/notes');
    const rows = page.getByTestId('note-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /Call the plumber/);
    assert.match(await rows.nth(1).innerText(), /Groceries/);
    await snap(page, '12-notes-list');
    // The README's picture (docs/notes-page.png): the top of the same page.
    await snap(page, 'notes-page', { x: 0, y: 0, width: 1280, height: 380 });
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, '13-notes-list-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  test('download the attachment: the same bytes', async (t) => {
    if (!state.noteId || !config.attachmentsBucket) {
      t.skip(config.attachmentsBucket ? 'no note was created' : 'the stack has no attachments bucket');
      return;
    }
    await page.getByTestId('note-row').filter({ hasText: 'Groceries' }).click();
    const link = page.getByTestId('attachment-link');
    await link.waitFor();
    state.downloadUrl = await link.getAttribute('href');
    const response = await fetch(state.downloadUrl);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), attachment.buffer);
  });

  test('delete the note: gone from the list, its attachment gone too', async (t) => {
    if (!state.noteId) {
      t.skip('no note was created');
      return;
    }
    if (path() !== `/notes/${state.noteId}`) {
      await page.goto(`${web}/notes/${state.noteId}`);
    }
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL((url) => url.pathname === '/notes');
    await page.getByTestId('note-row').filter({ hasText: 'Call the plumber' }).waitFor();
    assert.equal(await page.getByTestId('note-row').count(), 1);
    if (state.downloadUrl) {
      const response = await fetch(state.downloadUrl);
      assert.equal(response.status, 404, 'the attachment is deleted with the note');
    }
    await page.goto(`${web}/notes/${state.noteId}`);
    await error().getByText('This note does not exist', { exact: false }).waitFor();
    await snap(page, '14-deleted-note');
  });

  test('sign out, then the notes page refuses you', async () => {
    await page.goto(`${web}/notes`);
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('signedOut') === '1');
    await snap(page, '15-signed-out');
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => /idToken|accessToken/.test(k)));
    assert.deepEqual(stored, [], 'no tokens left in the browser');

    await page.goto(`${web}/notes`);
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('next') === '/notes');
    await notice().getByText('Please sign in to see your notes.').waitFor();

    // And the API itself refuses the browser without credentials (AWS_IAM routes need a signature).
    if (await notesApiPresent()) {
      const status = await page.evaluate(async (api) => (await fetch(`${api}/notes`)).status, config.apiEndpoint);
      assert.equal(status, 403);
    }
  });

  test('the web endpoint: client routes get the app, unknown files 404, no traversal', async () => {
    const route = await fetch(`${web}/notes/some-id`);
    assert.equal(route.status, 200);
    assert.match(route.headers.get('content-type'), /^text\/html/);
    assert.equal((await fetch(`${web}/assets/missing.js`)).status, 404);
    // Raw request paths: fetch() would resolve the dot segments before sending them.
    const probes = ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%5c..%5cpom.xml',
      '/../../etc/passwd', '/assets/%2e%2e/index.html', '/%00index.html'];
    for (const probe of probes) {
      const status = await rawGet(web, probe);
      assert.ok([400, 404].includes(status), `${probe}: ${status}`);
    }
  });
});
