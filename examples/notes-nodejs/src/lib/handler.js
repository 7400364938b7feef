// The recipes' handler wrapper: the function's result is the body of a 200, an error becomes a 500 with its message.
export default function handler(lambda) {
  return async function (event, context) {
    let body;
    let statusCode;
    try {
      body = await lambda(event, context);
      statusCode = 200;
    } catch (error) {
      console.error(error);
      body = JSON.stringify({ error: error.message });
      statusCode = error.statusCode ?? 500;
    }
    return {
      statusCode,
      body,
      headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": true },
    };
  };
}

/** The caller's identity-pool identity id, where API Gateway puts it for AWS_IAM routes (payload 2.0). */
export function userId(event) {
  return event.requestContext.authorizer.iam.cognitoIdentity.identityId;
}

export class NotFound extends Error {
  constructor(message) {
    super(message);
    this.statusCode = 404;
  }
}
