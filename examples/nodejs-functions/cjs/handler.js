// CommonJS handlers, as recipe 003 writes them: an async one and a callback one.
module.exports.hello = async (event) => ({ statusCode: 200, body: 'Hello ' + (event.name || 'stranger') + '!' });

module.exports.callback = (event, context, callback) => {
  setTimeout(() => callback(null, { waited: true, remainingPositive: context.getRemainingTimeInMillis() > 0 }), 50);
};

module.exports.nothing = () => {
  setTimeout(() => {}, 20);
};
