// An ES module handler, as recipe 004 writes them.
export async function main(event, context) {
  console.log('hello from', context.functionName);
  if (event.throw) {
    throw new Error(event.throw);
  }
  if (event.exit !== undefined) {
    process.exit(event.exit);
  }
  if (event.sleep) {
    await new Promise((resolve) => setTimeout(resolve, event.sleep));
  }
  return {
    env: {
      AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME,
      AWS_REGION: process.env.AWS_REGION,
      _HANDLER: process.env._HANDLER,
      AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN,
    },
    requestId: context.awsRequestId,
    memoryLimitInMB: context.memoryLimitInMB,
    remaining: context.getRemainingTimeInMillis(),
    identityId: context.identity ? context.identity.cognitoIdentityId : null,
    input: event,
  };
}
