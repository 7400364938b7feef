// A user pool's Lambda triggers in Node.js: each handler gets Cognito's event and answers it, `response` filled in.
// Addresses are the app's rules: @blocked.example may not sign up, @trusted.example need no confirmation code, and a
// local part starting with "echo" makes a trigger fail with what it saw (to show the event reaches the function).

const domain = (event) => (event.request.userAttributes.email || '').split('@')[1];
const echo = (event) => (event.request.userAttributes.email || '').startsWith('echo');

exports.preSignUp = async (event) => {
  if (domain(event) === 'blocked.example') {
    throw new Error('Registration from this domain is not allowed.');
  }
  if (domain(event) === 'trusted.example' && event.triggerSource === 'PreSignUp_SignUp') {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
};

exports.postConfirmation = async (event) => {
  if (echo(event)) {
    const attributes = event.request.userAttributes;
    throw new Error(`${event.triggerSource} ${attributes['cognito:user_status']} ${attributes.email_verified}`);
  }
  return event;
};

exports.preAuthentication = async (event) => {
  if (echo(event)) {
    throw new Error(`${event.triggerSource} for ${event.request.userAttributes.email} on ${event.callerContext.clientId}`);
  }
  return event;
};

exports.postAuthentication = async (event) => {
  if ((event.request.userAttributes.email || '').startsWith('audit')) {
    throw new Error(`${event.triggerSource} newDeviceUsed=${event.request.newDeviceUsed}`);
  }
  return event;
};

// Version 1 of the pre token generation event: the id token's claims and the groups.
exports.preTokenGeneration = async (event) => {
  event.response.claimsOverrideDetails = {
    claimsToAddOrOverride: { tier: 'gold', trigger_source: event.triggerSource },
    claimsToSuppress: ['email_verified'],
    groupOverrideDetails: { groupsToOverride: ['triggered'] },
  };
  return event;
};

exports.customMessage = async (event) => {
  event.response.emailSubject = 'Welcome to the triggers app';
  event.response.emailMessage =
    `Hello ${event.request.userAttributes.email}, your code is ${event.request.codeParameter} (${event.triggerSource})`;
  return event;
};
