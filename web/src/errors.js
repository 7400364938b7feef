// Turns what Amplify throws into one sentence a person can act on, plus what the page may offer next.

const NETWORK_TEXT = 'Cannot reach the server. Check your connection and try again.';

/** The password rule of the default pool, as the sign-up and reset pages state it. */
export const PASSWORD_TEXT =
  'Choose a password of at least 8 characters with upper and lower case letters, a number and a symbol.';

function isNetworkError(error) {
  if (!error) return false;
  if (error.name === 'NetworkError' || error.name === 'TypeError') return true;
  const text = `${error.message ?? ''}`;
  return /Failed to fetch|NetworkError|Network error|Load failed/i.test(text) ||
    (error.underlyingError && isNetworkError(error.underlyingError));
}

/**
 * What to show for an auth error: `{ text, action }`, where action is one of 'confirm' (the user must confirm the
 * account), 'resend' (the code expired: send a new one), 'signIn' (the account exists), or undefined.
 */
export function describeAuthError(error) {
  if (isNetworkError(error)) return { text: NETWORK_TEXT };
  const message = error?.message ?? '';
  switch (error?.name) {
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message)) {
        return { text: 'Too many failed attempts. Wait a few minutes, then try again.' };
      }
      if (/Incorrect username or password/i.test(message)) return { text: 'Incorrect email or password.' };
      return { text: message || 'You are not allowed to do that.' };
    case 'UserNotConfirmedException':
      return { text: 'This account is not confirmed yet. Enter the code we emailed you.', action: 'confirm' };
    case 'UserNotFoundException':
      return { text: 'There is no account with that email.' };
    case 'UsernameExistsException':
      return { text: 'An account with this email already exists.', action: 'signIn' };
    case 'CodeMismatchException':
      return { text: 'That code is not right. Check the email we sent and try again.' };
    case 'ExpiredCodeException':
      return { text: 'That code has expired or was already used. Send yourself a new one.', action: 'resend' };
    case 'InvalidPasswordException':
      return { text: message.replace(/^Password does not conform to policy: /, 'Choose a stronger password: ') };
    case 'InvalidParameterException':
      // The API's validation text ("1 validation error detected: Value at 'password' failed to satisfy…") is for
      // programs; a person gets the page's own words.
      if (/Value at '(password|proposedPassword)'/.test(message)) return { text: PASSWORD_TEXT };
      if (/Value at '(username|userAttributes)/.test(message)) return { text: 'Enter a valid email address.' };
      if (/Value at '(code|confirmationCode)'/.test(message)) return { text: 'Enter the code from the email.' };
      return { text: /validation error/i.test(message) ? 'Some of the details are not valid.' : message ||
        'Some of the details are not valid.' };
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return { text: 'Too many attempts. Wait a few minutes, then try again.' };
    case 'EmptySignInUsername':
    case 'EmptySignUpUsername':
    case 'EmptyResetPasswordUsername':
      return { text: 'Enter your email.' };
    case 'EmptySignInPassword':
    case 'EmptySignUpPassword':
      return { text: 'Enter your password.' };
    case 'EmptyConfirmSignUpCode':
    case 'EmptyConfirmResetPasswordConfirmationCode':
      return { text: 'Enter the code from the email.' };
    case 'UserAlreadyAuthenticatedException':
      return { text: 'You are already signed in.' };
    default:
      return { text: message || 'Something went wrong. Try again.' };
  }
}

/** What to show for a failed notes API or attachment call. */
export async function describeApiError(error, what = 'do that',
  notFound = 'This note does not exist (it may have been deleted).') {
  if (isNetworkError(error)) return NETWORK_TEXT;
  const status = error?.response?.statusCode ?? error?.$metadata?.httpStatusCode;
  let detail = '';
  try {
    const body = error?.response?.body;
    if (body) {
      const parsed = JSON.parse(typeof body === 'string' ? body : await body.text?.() ?? '');
      detail = parsed.error ?? parsed.message ?? '';
    }
  } catch {
    detail = '';
  }
  if (status === 404) return notFound;
  if (status === 403) return `You are not allowed to ${what}. Sign in again and retry.`;
  if (status === 413) return 'That is too large to save.';
  if (status === 409 || status === 412) {
    return 'This note was changed somewhere else at the same time. Reload it and try again.';
  }
  if (status === 400) return detail || error?.message || `Could not ${what}: the request was refused.`;
  if (status >= 500) return `The server failed to ${what}. Try again in a moment.`;
  if (error?.name === 'NoCredentials' || error?.name === 'NotAuthorizedException') {
    return 'Your session has ended. Sign in again.';
  }
  return error?.message ? `Could not ${what}: ${error.message}` : `Could not ${what}.`;
}
