// Preload for the unmodified aws-api-gateway-cli-test (apig-test): points its Cognito clients at a local endpoint.
//
//   GATEHOUSE_AWS_ENDPOINT=http://127.0.0.1:9229 node --require ./test/apig-endpoint-preload.cjs \
//     node_modules/aws-api-gateway-cli-test/index.js --username … --invoke-url <ApiEndpoint> …
//
// The tool has no endpoint option, and the aws-sdk v2 it bundles ignores AWS_ENDPOINT_URL. Every Cognito client it
// makes is an aws-sdk v2 service: amazon-cognito-identity-js 1.x's CognitoUserPool builds a
// CognitoIdentityServiceProvider (passing `endpoint: undefined`, which would override a global AWS.config.endpoint),
// and AWS.CognitoIdentityCredentials builds a CognitoIdentity. Both run AWS.Service.prototype.initialize(config) when
// they are created, so this hooks module loading and, as soon as aws-sdk's lib/core.js has loaded (in whichever copy
// of aws-sdk the tool resolves), wraps that method to set `endpoint` for those two services only. The API call itself
// goes through axios to --invoke-url and needs nothing. No file under node_modules is changed.
'use strict';

const Module = require('node:module');
const path = require('node:path');

const endpoint = process.env.GATEHOUSE_AWS_ENDPOINT;
if (!endpoint) {
  throw new Error('apig-endpoint-preload: set GATEHOUSE_AWS_ENDPOINT to the stack\'s AwsEndpoint');
}

const LOCAL_SERVICES = new Set(['cognitoidentityserviceprovider', 'cognitoidentity']);
const CORE = `${path.sep}aws-sdk${path.sep}lib${path.sep}core.js`;
const patched = new WeakSet();

function patchAws(AWS) {
  // Own properties only: a module still loading (a circular require) has a prototype that warns on other reads.
  if (!AWS || patched.has(AWS) || !Object.prototype.hasOwnProperty.call(AWS, 'Service')) return;
  patched.add(AWS);
  const initialize = AWS.Service.prototype.initialize;
  AWS.Service.prototype.initialize = function initializeWithLocalEndpoint(config) {
    if (LOCAL_SERVICES.has(this.serviceIdentifier)) {
      config = Object.assign({}, config, { endpoint });
    }
    return initialize.call(this, config);
  };
}

const load = Module._load;
Module._load = function loadAndPatch(request, parent, isMain) {
  const exported = load.apply(this, arguments);
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return exported;
  }
  if (typeof filename === 'string' && filename.endsWith(CORE)) {
    patchAws(exported);
  }
  return exported;
};
