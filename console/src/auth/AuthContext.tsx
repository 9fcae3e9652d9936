import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiClient, roleOf } from '../api/client';

export type Role = 'admin' | 'supervisor';

interface Session {
  token: string;
  role: Role;
}

interface Auth {
  session: Session | undefined;
  api: ApiClient | undefined;
  signIn(token: string): Promise<void>;
  signOut(): void;
}

// Per tab, gone when the tab closes; never in the URL or localStorage.
const STORAGE_KEY = 'voice-agents-console.session';

const AuthContext = createContext<Auth | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => storedSession());
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(undefined);
  }, []);
  const signIn = useCallback(async (token: string) => {
    const trimmed = token.trim();
    const role = await roleOf(trimmed);
    const next = { token: trimmed, role };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const api = useMemo(() => (session ? new ApiClient(session.token, signOut) : undefined), [session, signOut]);
  const value = useMemo(() => ({ session, api, signIn, signOut }), [session, api, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in API client; pages under the signed-in layout only. */
export function useApi(): ApiClient {
  const { api } = useAuth();
  if (!api) throw new Error('useApi before sign-in');
  return api;
}

export function useIsAdmin(): boolean {
  return useAuth().session?.role === 'admin';
}

function storedSession(): Session | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return stored && typeof stored.token === 'string' && (stored.role === 'admin' || stored.role === 'supervisor') ? stored : undefined;
  } catch {
    return undefined;
  }
}
