module.exports.handler = async event => {
    const res = {
        statusCode: 200,
        headers: {
            "Access-Control-Allow-Origin": "*"
        },
        body: JSON.stringify('Hello from an unsecured endpoint')
    };

    return res;
};
