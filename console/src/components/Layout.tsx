import { NavLink, Outlet } from 'react-router';
import { useAuth } from '../auth/AuthContext';

export function Layout() {
  const { session, signOut } = useAuth();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Voice agents</span>
        <nav aria-label="Main">
          <NavLink to="/live">Live calls</NavLink>
          <NavLink to="/calls">Calls</NavLink>
          <NavLink to="/flow">Flow and stats</NavLink>
          <NavLink to="/agents">Agents</NavLink>
        </nav>
        <span className="who">
          Signed in as <strong data-testid="role">{session?.role}</strong>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
