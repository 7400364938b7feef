// Gatehouse's Node.js runtime: runs one Lambda function over the Lambda Runtime API (2018-06-01), as Lambda's own
// Node.js runtime does, written against the documented protocol (no native client). Loads the handler the way Lambda
// resolves `dir/module.export` (CommonJS or ES module), then loops: GET /next, call the handler, POST its answer.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001').split(':');
const agent = new http.Agent({ keepAlive: true });
const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || '';
const BASE = '/2018-06-01/runtime';

function call(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const request = http.request({ host, port: Number(port), method, path: urlPath, agent,
      headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length, ...headers } : headers },
    (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    if (data) request.write(data);
    request.end();
  });
}

class LambdaError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

function errorBody(error) {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [] };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

async function postError(urlPath, error) {
  const body = errorBody(error);
  console.error(JSON.stringify(body));
  await call('POST', urlPath, JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType });
}

// ---- loading the handler ----

function nearestPackageType(dir) {
  for (let current = dir; ; current = path.dirname(current)) {
    if (path.basename(current) === 'node_modules') return undefined;
    const file = path.join(current, 'package.json');
    if (fs.existsSync(file)) {
      try { return JSON.parse(fs.readFileSync(file, 'utf8')).type; } catch { return undefined; }
    }
    if (path.dirname(current) === current) return undefined;
  }
}

async function loadModule(modulePath) {
  const require = createRequire(path.join(root, 'index.js'));
  if (fs.existsSync(modulePath) && fs.statSync(modulePath).isFile()) return require(modulePath);
  const isModule = nearestPackageType(path.dirname(modulePath)) === 'module';
  if (!isModule && fs.existsSync(modulePath + '.js')) return require(modulePath + '.js');
  if (isModule && fs.existsSync(modulePath + '.js')) return import(pathToFileURL(modulePath + '.js').href);
  if (fs.existsSync(modulePath + '.mjs')) return import(pathToFileURL(modulePath + '.mjs').href);
  if (fs.existsSync(modulePath + '.cjs')) return require(modulePath + '.cjs');
  return require(require.resolve(path.basename(modulePath), { paths: [root, path.dirname(modulePath)] }));
}

async function loadHandler() {
  if (handlerName.includes('..')) throw new LambdaError('Runtime.MalformedHandlerName', "'" + handlerName + "' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
  const base = path.basename(handlerName);
  const dot = base.indexOf('.');
  if (dot < 0) throw new LambdaError('Runtime.MalformedHandlerName', 'Bad handler');
  const modulePath = path.resolve(root, path.dirname(handlerName), base.substring(0, dot));
  let loaded;
  try {
    loaded = await loadModule(modulePath);
  } catch (error) {
    if (error instanceof SyntaxError) throw new LambdaError('Runtime.UserCodeSyntaxError', String(error));
    if (error && error.code === 'MODULE_NOT_FOUND') throw new LambdaError('Runtime.ImportModuleError', 'Error: Cannot find module \'' + base.substring(0, dot) + '\'');
    throw error;
  }
  let handler = loaded;
  for (const part of base.substring(dot + 1).split('.')) {
    handler = handler == null ? undefined : handler[part];
  }
  if (handler === undefined) throw new LambdaError('Runtime.HandlerNotFound', handlerName + ' is undefined or not exported');
  if (typeof handler !== 'function') throw new LambdaError('Runtime.HandlerNotFound', handlerName + ' is not a function');
  return handler;
}

// ---- invoking ----

let current = null; // { requestId } of the invocation in flight
let drained = []; // called when the event loop has nothing left to do

process.on('beforeExit', () => {
  const wake = drained;
  drained = [];
  wake.forEach((resolve) => resolve());
});

function whenDrained() {
  return new Promise((resolve) => { drained.push(resolve); });
}

function parseJson(text) {
  return text === undefined ? undefined : JSON.parse(text);
}

function contextFor(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    identity: parseJson(headers['lambda-runtime-cognito-identity']),
    clientContext: parseJson(headers['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  return context;
}

function invoke(handler, event, context) {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (error, value) => {
      if (finished) return;
      finished = true;
      resolve({ error, value });
    };
    let calledBack = false;
    const callback = (error, value) => {
      calledBack = true;
      if (context.callbackWaitsForEmptyEventLoop) {
        whenDrained().then(() => finish(error, value));
      } else {
        finish(error, value);
      }
    };
    context.succeed = (value) => finish(null, value);
    context.fail = (error) => finish(error == null ? new LambdaError('handled', 'handled') : error);
    context.done = (error, value) => finish(error, value);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      finish(error);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((value) => finish(null, value), (error) => finish(error ?? new Error('undefined')));
      whenDrained().then(() => finish(new LambdaError('Runtime.NodeJsExit',
        'Runtime exited without providing a reason')));
    } else {
      // A handler that neither returns a promise nor calls back answers null once its work is done.
      whenDrained().then(() => { if (!calledBack) finish(null, null); });
    }
  });
}

process.on('uncaughtException', async (error) => {
  await fail(error);
});
process.on('unhandledRejection', async (reason) => {
  await fail(reason instanceof Error ? reason : new LambdaError('Runtime.UnhandledPromiseRejection', String(reason)));
});

async function fail(error) {
  try {
    if (current) await postError(BASE + '/invocation/' + encodeURIComponent(current.requestId) + '/error', error);
    else await postError(BASE + '/init/error', error);
  } finally {
    process.exit(129);
  }
}

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    await postError(BASE + '/init/error', error);
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', BASE + '/invocation/next');
    if (next.status !== 200) throw new Error('the Runtime API answered /next with ' + next.status);
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    const trace = next.headers['lambda-runtime-trace-id'];
    if (trace) process.env._X_AMZN_TRACE_ID = trace; else delete process.env._X_AMZN_TRACE_ID;
    current = { requestId };
    drained = [];
    const { error, value } = await invoke(handler, JSON.parse(next.body), contextFor(next.headers));
    const id = encodeURIComponent(requestId);
    if (error) {
      await postError(BASE + '/invocation/' + id + '/error', error);
    } else {
      let text;
      try {
        text = JSON.stringify(value === undefined ? null : value);
      } catch (cause) {
        await postError(BASE + '/invocation/' + id + '/error', new LambdaError('Runtime.ResponseSerializationError', 'Unable to stringify response body'));
        current = null;
        continue;
      }
      await call('POST', BASE + '/invocation/' + id + '/response', text);
    }
    current = null;
  }
}

main();
