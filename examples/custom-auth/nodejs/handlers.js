// The three custom-authentication triggers of a one-time-code sign-in, as Cognito invokes them.
//  - define: asks for the password first when the client started with SRP_A, then for a code; three tries.
//  - create: makes a six-digit code, keeps it in privateChallengeParameters (never sent to the client) and delivers
//    it. A real app emails or texts it; this example writes it to $CODE_DIR/<userName>, its local outbox.
//  - verify: compares the answer with the code kept by create.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MAX_TRIES = 3;

exports.define = async (event) => {
  const session = event.request.session;
  const last = session[session.length - 1];
  const tries = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length;
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  if (last && last.challengeName === 'SRP_A') {
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = !event.request.userNotFound;
    event.response.failAuthentication = event.request.userNotFound;
  } else if (tries >= MAX_TRIES) {
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};

exports.create = async (event) => {
  const code = String(crypto.randomInt(0, 1000000)).padStart(6, '0');
  if (!event.request.userNotFound) {
    fs.mkdirSync(process.env.CODE_DIR, { recursive: true });
    fs.writeFileSync(path.join(process.env.CODE_DIR, event.userName), code);
  }
  const tries = event.request.session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length;
  event.response.publicChallengeParameters = { delivery: 'outbox', triesLeft: String(MAX_TRIES - tries) };
  event.response.privateChallengeParameters = { code };
  event.response.challengeMetadata = 'CODE';
  return event;
};

exports.verify = async (event) => {
  const expected = Buffer.from(event.request.privateChallengeParameters.code || '');
  const given = Buffer.from(event.request.challengeAnswer || '');
  event.response.answerCorrect = expected.length === given.length && crypto.timingSafeEqual(expected, given);
  return event;
};
