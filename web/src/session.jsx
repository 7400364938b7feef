// Who is signed in, kept in React state: restored from Amplify's stored tokens on load, updated on Hub auth events.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Hub } from 'aws-amplify/utils';
import { fetchAuthSession, getCurrentUser, signOut as amplifySignOut } from 'aws-amplify/auth';

const SessionContext = createContext(null);

async function readSession() {
  try {
    const user = await getCurrentUser();
    const { tokens } = await fetchAuthSession();
    if (!tokens?.idToken) return null;
    return {
      userId: user.userId,
      email: tokens.idToken.payload.email ?? user.signInDetails?.loginId ?? user.username,
    };
  } catch {
    return null; // no stored session, or it could not be refreshed
  }
}

export function SessionProvider({ children }) {
  const [state, setState] = useState({ status: 'loading', user: null });

  const show = useCallback((user) => {
    setState({ status: user ? 'signedIn' : 'signedOut', user });
    return user;
  }, []);

  const refresh = useCallback(async () => show(await readSession()), [show]);

  useEffect(() => {
    readSession().then(show);
    return Hub.listen('auth', ({ payload }) => {
      if (payload.event === 'signedIn' || payload.event === 'tokenRefresh') refresh();
      if (payload.event === 'signedOut' || payload.event === 'tokenRefresh_failure') {
        setState({ status: 'signedOut', user: null });
      }
    });
  }, [refresh, show]);

  const signOut = useCallback(async () => {
    try {
      await amplifySignOut();
    } finally {
      setState({ status: 'signedOut', user: null });
    }
  }, []);

  const value = useMemo(() => ({ ...state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
