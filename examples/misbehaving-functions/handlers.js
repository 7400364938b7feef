// Handlers that misbehave, each the way a real one does, behind one HTTP API: Gatehouse answers as API Gateway
// would and keeps serving. Run: java -jar gatehouse.jar --template examples/misbehaving-functions/template.yaml
exports.fine = async (event) => ({ statusCode: 200, body: `fine ${event.rawPath}` });

exports.throws = async () => {
  throw new Error('something broke');
};

// never answers: ended at the function's Timeout, and the next request gets a new worker
exports.hangs = () => new Promise(() => setInterval(() => {}, 1000));

exports.exits = async () => {
  process.exit(3);
};

// a megabyte on stdout (to the log), then a normal answer
exports.chatty = async () => {
  process.stdout.write('x'.repeat(1024 * 1024) + '\n');
  return { statusCode: 200, body: 'printed a megabyte' };
};
