// Small shared pieces: page card, form field, alerts, buttons with a busy state.
import { Children } from 'react';
import { Link } from 'react-router-dom';

export function Card({ title, subtitle, children, wide }) {
  return (
    <section className={wide ? 'card card-wide' : 'card'}>
      {title && <h1 className="card-title">{title}</h1>}
      {subtitle && <p className="card-subtitle">{subtitle}</p>}
      {children}
    </section>
  );
}

export function Field({ label, id, hint, ...input }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} {...input} />
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

export function Alert({ kind = 'error', children, testId }) {
  // Nothing to say (undefined, false, '' children): no empty box.
  if (Children.toArray(children).every((child) => child === '')) return null;
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export function Spinner({ label = 'Loading…' }) {
  return (
    <div className="spinner-row" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function SubmitButton({ busy, busyLabel, children, ...rest }) {
  return (
    <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy} {...rest}>
      {busy && <span className="spinner spinner-small" aria-hidden="true" />}
      {busy ? busyLabel : children}
    </button>
  );
}

export function TextLink({ to, children, ...rest }) {
  return (
    <Link to={to} className="text-link" {...rest}>
      {children}
    </Link>
  );
}

/** The file name a person chose, without the upload's time prefix ("1700000000000-report.pdf" → "report.pdf"). */
export function displayName(attachment) {
  return attachment ? attachment.replace(/^\d+-/, '') : '';
}
