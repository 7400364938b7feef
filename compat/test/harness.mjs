// Starts the built Gatehouse server for a test file and gives the tests what they need from it:
// its outputs (endpoint, pool and client ids), the codes it "mails" to the outbox, and a clean stop.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The jar under test: GATEHOUSE_JAR, or server/target/gatehouse.jar in this repository. */
export const jarPath = process.env.GATEHOUSE_JAR
  ? path.resolve(process.env.GATEHOUSE_JAR)
  : path.join(repoRoot, 'server', 'target', 'gatehouse.jar');

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 100;
const LOG_LINES_KEPT = 200;
const REQUIRED_OUTPUTS = ['Region', 'AwsEndpoint', 'UserPoolId', 'UserPoolClientId', 'AdminCredentialsFile'];

/** A password that satisfies Cognito's default policy; tests add a suffix to make it unique. */
export function newPassword() {
  return `Compat-${randomUUID().slice(0, 8)}-Pw1!`;
}

/** A fresh email address, so every test has its own user and its own outbox lines. */
export function newEmail(prefix = 'user') {
  return `${prefix}-${randomUUID()}@example.com`;
}

/**
 * Starts `java -jar <jar> --data-dir <temp> --aws-port 0 --outputs-file <temp>/outputs.json` and waits (bounded)
 * until the outputs file holds the stack outputs. Throws a clear error if the jar has not been built.
 */
export async function startServer() {
  if (!existsSync(jarPath)) {
    throw new Error(
      `Gatehouse jar not found at ${jarPath}: build the jar first ` +
        '(at the repository root: mvn -B -q package -DskipTests), then run the compat tests again.',
    );
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-compat-'));
  const dataDir = path.join(workDir, 'data');
  const outputsFile = path.join(workDir, 'outputs.json');
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = ['-jar', jarPath, '--data-dir', dataDir, '--aws-port', '0', '--outputs-file', outputsFile];
  const child = spawn(java, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });

  const log = [];
  const verbose = Boolean(process.env.GATEHOUSE_COMPAT_VERBOSE);
  const keep = (chunk) => {
    if (verbose) process.stderr.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length > 0) {
        log.push(line);
        if (log.length > LOG_LINES_KEPT) log.shift();
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (error) => {
      exited = { code: null, signal: null, error };
      resolve(exited);
    });
  });
  // If the test process dies without calling stop(), do not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const server = {
    workDir,
    dataDir,
    log,
    /** Sends SIGTERM, waits for a graceful exit (SIGKILL after a bound), removes the temp dir. */
    async stop() {
      process.removeListener('exit', killOnExit);
      if (exited === null) {
        child.kill('SIGTERM');
        const timedOut = await Promise.race([exit.then(() => false), delay(STOP_TIMEOUT_MS).then(() => true)]);
        if (timedOut) {
          child.kill('SIGKILL');
          await exit;
        }
      }
      await rm(workDir, { recursive: true, force: true });
      return exited;
    },
    /**
     * The newest code in <data-dir>/outbox.jsonl for this destination (email address) or internal username,
     * optionally of one purpose (SIGN_UP, FORGOT_PASSWORD, RESEND_CODE...); waits for it, bounded.
     */
    async codeFor(destination, { purpose, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const lines = await outboxLines(dataDir);
        const matching = lines.filter(
          (m) => (m.destination === destination || m.username === destination) && (!purpose || m.purpose === purpose),
        );
        if (matching.length > 0) return matching[matching.length - 1].code;
        if (Date.now() > deadline) {
          throw new Error(`no ${purpose ?? ''} code for ${destination} in the outbox after ${timeoutMs} ms`);
        }
        await delay(POLL_MS);
      }
    },
    /** Every message in the outbox, oldest first. */
    outbox: () => outboxLines(dataDir),
  };

  try {
    server.outputs = await waitForOutputs(outputsFile, () => exited, log);
  } catch (error) {
    await server.stop();
    throw error;
  }
  server.region = server.outputs.Region;
  server.endpoint = server.outputs.AwsEndpoint;
  server.userPoolId = server.outputs.UserPoolId;
  server.clientId = server.outputs.UserPoolClientId;
  return server;
}

async function waitForOutputs(outputsFile, exitedState, log) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (true) {
    const state = exitedState();
    if (state !== null) {
      const why = state.error ? state.error.message : `exit code ${state.code}, signal ${state.signal}`;
      throw new Error(`Gatehouse exited before it was ready (${why}). Last log lines:\n${log.slice(-30).join('\n')}`);
    }
    const outputs = await readOutputs(outputsFile);
    if (outputs) return outputs;
    if (Date.now() > deadline) {
      throw new Error(
        `Gatehouse wrote no outputs to ${outputsFile} within ${STARTUP_TIMEOUT_MS} ms. ` +
          `Last log lines:\n${log.slice(-30).join('\n')}`,
      );
    }
    await delay(POLL_MS);
  }
}

async function readOutputs(outputsFile) {
  let text;
  try {
    text = await readFile(outputsFile, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
  try {
    const outputs = JSON.parse(text);
    return REQUIRED_OUTPUTS.every((key) => typeof outputs[key] === 'string') ? outputs : null;
  } catch {
    return null; // still being written
  }
}

async function outboxLines(dataDir) {
  let text;
  try {
    text = await readFile(path.join(dataDir, 'outbox.jsonl'), 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return []; // a line being appended
      }
    });
}

/** Reads the [default] profile of the admin credentials file (AWS shared-credentials format). */
export async function adminCredentials(server) {
  const file = path.resolve(server.workDir, server.outputs.AdminCredentialsFile);
  const text = await readFile(file, 'utf8');
  const values = {};
  let profile = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      profile = section[1].trim();
    } else if (profile === 'default' && line.includes('=')) {
      const at = line.indexOf('=');
      values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  if (!values.aws_access_key_id || !values.aws_secret_access_key) {
    throw new Error(`no [default] access key in ${file}`);
  }
  return { accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key };
}
