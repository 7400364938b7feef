// Sign up, confirm (emailed code), sign in (SRP, Amplify's default flow) and reset password (forgot + confirm).
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  confirmResetPassword,
  confirmSignUp,
  resendSignUpCode,
  resetPassword,
  signIn,
  signUp,
} from 'aws-amplify/auth';
import { describeAuthError, PASSWORD_TEXT } from './errors.js';
import { useSession } from './session.jsx';
import { Alert, Card, Field, SubmitButton, TextLink } from './ui.jsx';

const PASSWORD_HINT = 'At least 8 characters with upper and lower case letters, a number and a symbol.';
const MIN_PASSWORD = 8;

/** Where a code goes when Gatehouse runs without SMTP settings, as it does out of the box. */
function OutboxHint() {
  return (
    <p className="hint" data-testid="outbox-hint">
      Running Gatehouse locally without SMTP settings? The email, code included, is in the server&apos;s log and in
      its outbox file: <code>tail -n 1 .gatehouse/outbox.jsonl</code>
    </p>
  );
}

function withEmail(path, email, extra = {}) {
  const params = new URLSearchParams({ ...(email ? { email } : {}), ...extra });
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** Runs `work` with a busy flag; maps a thrown error with describeAuthError into `error`. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function run(work) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      console.warn('auth action failed', caught?.name, caught?.message);
      setError(describeAuthError(caught));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

export function SignUpPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setError, run } = useAction();

  function submit(event) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError({ text: PASSWORD_TEXT });
      return;
    }
    if (password !== repeat) {
      setError({ text: 'The passwords do not match.' });
      return;
    }
    run(async () => {
      const result = await signUp({ username: email, password, options: { userAttributes: { email } } });
      if (result.isSignUpComplete) {
        navigate(withEmail('/signin', email, { confirmed: '1' }));
      } else {
        navigate(withEmail('/confirm', email, { sent: '1' }));
      }
    });
  }

  return (
    <Card title="Create your account" subtitle="Sign up with your email. We will send you a code to confirm it.">
      <form onSubmit={submit} noValidate>
        <Field label="Email" id="email" type="email" autoComplete="email" required value={email}
          onChange={(e) => setEmail(e.target.value.trim())} />
        <Field label="Password" id="password" type="password" autoComplete="new-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} hint={PASSWORD_HINT} />
        <Field label="Repeat password" id="repeat" type="password" autoComplete="new-password" required value={repeat}
          onChange={(e) => setRepeat(e.target.value)} />
        <Alert testId="error">
          {error?.text}
          {error?.action === 'signIn' && (
            <> <TextLink to={withEmail('/signin', email)}>Sign in instead</TextLink></>
          )}
        </Alert>
        <SubmitButton busy={busy} busyLabel="Creating account…">Create account</SubmitButton>
      </form>
      <p className="card-footer">
        Already have an account? <TextLink to={withEmail('/signin', email)}>Sign in</TextLink>
      </p>
    </Card>
  );
}

export function ConfirmPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState(
    params.get('sent') ? `We emailed a confirmation code to ${params.get('email')}.` : params.get('notice') ?? '',
  );
  const { busy, error, run } = useAction();
  const resend = useAction();

  function submit(event) {
    event.preventDefault();
    run(async () => {
      await confirmSignUp({ username: email, confirmationCode: code.trim() });
      navigate(withEmail('/signin', email, { confirmed: '1' }));
    });
  }

  function sendAgain() {
    setNotice('');
    resend.run(async () => {
      await resendSignUpCode({ username: email });
      setNotice(`We emailed a new code to ${email}.`);
    });
  }

  const shown = error ?? resend.error;
  return (
    <Card title="Confirm your email" subtitle="Enter the 6-digit code from the email we sent you.">
      <form onSubmit={submit} noValidate>
        <Alert kind="info" testId="notice">{notice}</Alert>
        <OutboxHint />
        <Field label="Email" id="email" type="email" autoComplete="email" required value={email}
          onChange={(e) => setEmail(e.target.value.trim())} />
        <Field label="Confirmation code" id="code" inputMode="numeric" autoComplete="one-time-code" required
          value={code} onChange={(e) => setCode(e.target.value)} maxLength={10} />
        <Alert testId="error">{shown?.text}</Alert>
        <div className="actions">
          <SubmitButton busy={busy} busyLabel="Confirming…">Confirm</SubmitButton>
          <button type="button" className="button button-quiet" onClick={sendAgain} disabled={resend.busy || !email}>
            {resend.busy ? 'Sending…' : 'Send a new code'}
          </button>
        </div>
      </form>
      <p className="card-footer">
        Confirmed already? <TextLink to={withEmail('/signin', email)}>Sign in</TextLink>
      </p>
    </Card>
  );
}

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const session = useSession();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();

  let notice = '';
  if (params.get('confirmed')) notice = 'Your account is confirmed. Sign in to continue.';
  else if (params.get('reset')) notice = 'Your password has been changed. Sign in with the new one.';
  else if (params.get('next')) notice = 'Please sign in to see your notes.';
  else if (params.get('signedOut')) notice = 'You have signed out.';

  function submit(event) {
    event.preventDefault();
    run(async () => {
      const result = await signIn({ username: email, password });
      const step = result.nextStep?.signInStep;
      if (result.isSignedIn) {
        // GuestOnly sends a signed-in visitor on to `next` as soon as the session says so. Navigating here as well
        // raced it: this second navigation could land late and pull the user back from the page they had moved on to.
        const user = await session.refresh();
        if (!user) setError({ text: 'You are signed in, but your session could not be read. Try again.' });
      } else if (step === 'CONFIRM_SIGN_UP') {
        setError({ text: 'This account is not confirmed yet. Enter the code we emailed you.', action: 'confirm' });
      } else if (step === 'RESET_PASSWORD') {
        navigate(withEmail('/reset', email, { required: '1' }));
      } else {
        setError({ text: `This sign-in needs a step this app does not support (${step}).` });
      }
    });
  }

  async function goConfirm() {
    try {
      await resendSignUpCode({ username: email });
      navigate(withEmail('/confirm', email, { sent: '1' }));
    } catch (caught) {
      setError(describeAuthError(caught));
    }
  }

  return (
    <Card title="Sign in" subtitle="Welcome back to your notes.">
      <form onSubmit={submit} noValidate>
        <Alert kind="info" testId="notice">{notice}</Alert>
        <Field label="Email" id="email" type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value.trim())} />
        <Field label="Password" id="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        <Alert testId="error">
          {error?.text}
          {error?.action === 'confirm' && (
            <div className="alert-actions">
              <button type="button" className="button button-small button-quiet" onClick={goConfirm}>
                Confirm my account
              </button>
            </div>
          )}
        </Alert>
        <SubmitButton busy={busy} busyLabel="Signing in…">Sign in</SubmitButton>
      </form>
      <p className="card-footer split">
        <TextLink to={withEmail('/reset', email)}>Forgot your password?</TextLink>
        <span>New here? <TextLink to="/signup">Create an account</TextLink></span>
      </p>
    </Card>
  );
}

export function ResetPasswordPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [stage, setStage] = useState('request');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState(params.get('required') ? 'You need to choose a new password.' : '');
  const { busy, error, setError, run } = useAction();

  function request(event) {
    event?.preventDefault();
    run(async () => {
      const result = await resetPassword({ username: email });
      const where = result.nextStep?.codeDeliveryDetails?.destination ?? email;
      setNotice(`We emailed a reset code to ${where}.`);
      setStage('confirm');
    });
  }

  function confirm(event) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError({ text: PASSWORD_TEXT });
      return;
    }
    run(async () => {
      await confirmResetPassword({ username: email, confirmationCode: code.trim(), newPassword: password });
      navigate(withEmail('/signin', email, { reset: '1' }));
    });
  }

  return (
    <Card title="Reset your password"
      subtitle={stage === 'request' ? 'We will email you a code to choose a new password.'
        : 'Enter the code from the email and choose a new password.'}>
      <Alert kind="info" testId="notice">{notice}</Alert>
      {stage === 'request' ? (
        <form onSubmit={request} noValidate>
          <Field label="Email" id="email" type="email" autoComplete="username" required value={email}
            onChange={(e) => setEmail(e.target.value.trim())} />
          <Alert testId="error">{error?.text}</Alert>
          <SubmitButton busy={busy} busyLabel="Sending…">Send reset code</SubmitButton>
        </form>
      ) : (
        <form onSubmit={confirm} noValidate>
          <OutboxHint />
          <Field label="Reset code" id="code" inputMode="numeric" autoComplete="one-time-code" required value={code}
            onChange={(e) => setCode(e.target.value)} maxLength={10} />
          <Field label="New password" id="password" type="password" autoComplete="new-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} hint={PASSWORD_HINT} />
          <Alert testId="error">
            {error?.text}
            {error?.action === 'resend' && (
              <div className="alert-actions">
                <button type="button" className="button button-small button-quiet" onClick={() => request()}>
                  Send a new code
                </button>
              </div>
            )}
          </Alert>
          <div className="actions">
            <SubmitButton busy={busy} busyLabel="Saving…">Set new password</SubmitButton>
            <button type="button" className="button button-quiet" onClick={() => request()} disabled={busy}>
              Send a new code
            </button>
          </div>
        </form>
      )}
      <p className="card-footer">
        Remembered it? <TextLink to={withEmail('/signin', email)}>Sign in</TextLink>
      </p>
    </Card>
  );
}
