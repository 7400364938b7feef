// Routes and layout: a header with the signed-in user and sign-out, the auth pages, and the notes pages behind
// RequireSession (signed-out visitors are sent to sign in, with where they were going).
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useState } from 'react';
import { ConfirmPage, ResetPasswordPage, SignInPage, SignUpPage } from './AuthPages.jsx';
import { NewNotePage, NotePage, NotesListPage } from './NotesPages.jsx';
import { SessionProvider, useSession } from './session.jsx';
import { Card, Spinner, TextLink } from './ui.jsx';

function Header() {
  const session = useSession();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);

  async function signOut() {
    setLeaving(true);
    try {
      await session.signOut();
    } finally {
      setLeaving(false);
      navigate('/signin?signedOut=1', { replace: true });
    }
  }

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to={session.status === 'signedIn' ? '/notes' : '/signin'} className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Gatehouse Notes</span>
        </Link>
        {session.status === 'signedIn' && (
          <nav className="topbar-nav">
            <span className="who" data-testid="who" title={session.user.email}>{session.user.email}</span>
            <button type="button" className="button button-small button-ghost" onClick={signOut} disabled={leaving}
              data-testid="sign-out">
              {leaving ? 'Signing out…' : 'Sign out'}
            </button>
          </nav>
        )}
        {session.status === 'signedOut' && (
          <nav className="topbar-nav">
            <Link to="/signin" className="topbar-link">Sign in</Link>
            <Link to="/signup" className="button button-small button-ghost">Sign up</Link>
          </nav>
        )}
      </div>
    </header>
  );
}

function RequireSession({ children }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Card><Spinner label="Restoring your session…" /></Card>;
  if (session.status !== 'signedIn') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  return children;
}

function GuestOnly({ children }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Card><Spinner label="Loading…" /></Card>;
  if (session.status === 'signedIn') {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={next?.startsWith('/') && !next.startsWith('//') ? next : '/notes'} replace />;
  }
  return children;
}

function Home() {
  const session = useSession();
  if (session.status === 'loading') return <Card><Spinner /></Card>;
  return <Navigate to={session.status === 'signedIn' ? '/notes' : '/signin'} replace />;
}

function NotFound() {
  return (
    <Card title="Page not found" subtitle="There is nothing at this address.">
      <TextLink to="/">Go to your notes</TextLink>
    </Card>
  );
}

export default function App({ config }) {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Header />
        <main className="content">
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/signup" element={<GuestOnly><SignUpPage /></GuestOnly>} />
            <Route path="/confirm" element={<GuestOnly><ConfirmPage /></GuestOnly>} />
            <Route path="/signin" element={<GuestOnly><SignInPage /></GuestOnly>} />
            <Route path="/reset" element={<GuestOnly><ResetPasswordPage /></GuestOnly>} />
            <Route path="/notes" element={<RequireSession><NotesListPage /></RequireSession>} />
            <Route path="/notes/new" element={<RequireSession><NewNotePage config={config} /></RequireSession>} />
            <Route path="/notes/:id" element={<RequireSession><NotePage config={config} /></RequireSession>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </main>
        <footer className="footer">Served by Gatehouse · Amplify JS v6</footer>
      </SessionProvider>
    </BrowserRouter>
  );
}
