// Starts the built Gatehouse server for a test file and gives the tests what they need from it:
// its outputs (endpoint, pool and client ids), the codes it "mails" to the outbox, restarts, and a clean stop.
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

/** A password that satisfies Cognito's default policy, different on every call. */
export function newPassword() {
  return `Compat-${randomUUID().slice(0, 8)}-Pw1!`;
}

/** A fresh email address, so every test has its own user and its own outbox lines. */
export function newEmail(prefix = 'user') {
  return `${prefix}-${randomUUID()}@example.com`;
}

/**
 * Starts `java -jar <jar> --data-dir <temp>/data --aws-port 0 --outputs-file <temp>/outputs.json` (then `args`, such
 * as `--template <file>`) and waits (bounded) until the outputs file holds the stack outputs. Throws a clear error if
 * the jar has not been built.
 */
export async function startServer({ args = [] } = {}) {
  if (!existsSync(jarPath)) {
    throw new Error(
      `Gatehouse jar not found at ${jarPath}: build the jar first ` +
        '(at the repository root: mvn -B -q package -DskipTests), then run the compat tests again.',
    );
  }
  const server = new Server(await mkdtemp(path.join(tmpdir(), 'gatehouse-compat-')), args);
  try {
    await server.launch();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

class Server {
  constructor(workDir, extraArgs = []) {
    this.workDir = workDir;
    this.extraArgs = extraArgs;
    this.dataDir = path.join(workDir, 'data');
    this.outputsFile = path.join(workDir, 'outputs.json');
    /** The last lines the server printed (stdout and stderr), for failure messages. */
    this.log = [];
    this.process = null;
  }

  get region() {
    return this.outputs.Region;
  }

  get endpoint() {
    return this.outputs.AwsEndpoint;
  }

  get userPoolId() {
    return this.outputs.UserPoolId;
  }

  get clientId() {
    return this.outputs.UserPoolClientId;
  }

  async launch() {
    await rm(this.outputsFile, { force: true });
    const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
    const args = ['-jar', jarPath, '--data-dir', this.dataDir, '--aws-port', '0', '--outputs-file', this.outputsFile, ...this.extraArgs];
    const child = spawn(java, args, { cwd: this.workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const verbose = Boolean(process.env.GATEHOUSE_COMPAT_VERBOSE);
    const keep = (chunk) => {
      if (verbose) process.stderr.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length > 0) {
          this.log.push(line);
          if (this.log.length > LOG_LINES_KEPT) this.log.shift();
        }
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const running = { child, exited: null };
    running.exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.exited = { code, signal };
        resolve(running.exited);
      });
      child.on('error', (error) => {
        running.exited = { code: null, signal: null, error };
        resolve(running.exited);
      });
    });
    // If the test process dies without calling stop(), do not leave the server running.
    running.killOnExit = () => child.kill('SIGKILL');
    process.once('exit', running.killOnExit);
    this.process = running;
    this.outputs = await this.waitForOutputs(running);
  }

  async waitForOutputs(running) {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (true) {
      if (running.exited !== null) {
        const state = running.exited;
        const why = state.error ? state.error.message : `exit code ${state.code}, signal ${state.signal}`;
        throw new Error(`Gatehouse exited before it was ready (${why}). Last log lines:\n${this.tail()}`);
      }
      const outputs = await readOutputs(this.outputsFile);
      if (outputs) return outputs;
      if (Date.now() > deadline) {
        throw new Error(
          `Gatehouse wrote no outputs to ${this.outputsFile} within ${STARTUP_TIMEOUT_MS} ms. ` +
            `Last log lines:\n${this.tail()}`,
        );
      }
      await delay(POLL_MS);
    }
  }

  tail(lines = 30) {
    return this.log.slice(-lines).join('\n');
  }

  /** Sends SIGTERM and waits for the process to exit (SIGKILL after a bound); keeps the data dir. */
  async terminate() {
    const running = this.process;
    if (running === null) return null;
    this.process = null;
    process.removeListener('exit', running.killOnExit);
    if (running.exited === null) {
      running.child.kill('SIGTERM');
      const timedOut = await Promise.race([
        running.exit.then(() => false),
        delay(STOP_TIMEOUT_MS).then(() => true),
      ]);
      if (timedOut) {
        running.child.kill('SIGKILL');
        await running.exit;
      }
    }
    return running.exited;
  }

  /** Stops the server with SIGTERM and starts it again on the same data dir (the port may change). */
  async restart() {
    await this.terminate();
    await this.launch();
  }

  /** Stops the server with SIGTERM and removes its temp dir. Returns how the process exited. */
  async stop() {
    const exited = await this.terminate();
    await rm(this.workDir, { recursive: true, force: true });
    return exited;
  }

  /**
   * The newest code in <data-dir>/outbox.jsonl for this destination (email address) or internal username,
   * optionally of one purpose (SIGN_UP, FORGOT_PASSWORD, RESEND_CODE...); waits for it, bounded.
   */
  async codeFor(destination, { purpose, timeoutMs = 10_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const matching = (await this.outbox()).filter(
        (m) => (m.destination === destination || m.username === destination) && (!purpose || m.purpose === purpose),
      );
      if (matching.length > 0) return matching[matching.length - 1].code;
      if (Date.now() > deadline) {
        throw new Error(`no ${purpose ?? ''} code for ${destination} in the outbox after ${timeoutMs} ms`);
      }
      await delay(POLL_MS);
    }
  }

  /** Every message in the outbox, oldest first. */
  async outbox() {
    let text;
    try {
      text = await readFile(path.join(this.dataDir, 'outbox.jsonl'), 'utf8');
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

/** The RFC 5054 3072-bit group Cognito's SRP uses (srp.md section 2.3), for tests that speak SRP by hand. */
export const SRP_N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);

/** g^e mod N with BigInt. */
export function srpModPow(base, exponent, modulus = SRP_N) {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}
