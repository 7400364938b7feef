module.exports.handler = async event => {
    const userEmail = event.requestContext.authorizer.claims.email;

    const res = {
        statusCode: 200,
        headers: {
            "Access-Control-Allow-Origin": "*",
            'Access-Control-Allow-Credentials': true
        },
        body: JSON.stringify(`Hello from an secured endpoint -> ${userEmail}`)
    };

    return res;
};
