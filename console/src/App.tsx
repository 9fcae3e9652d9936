import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { SignInPage } from './auth/SignInPage';
import { Layout } from './components/Layout';
import { AgentsPage } from './pages/AgentsPage';
import { CallPage } from './pages/CallPage';
import { CallsPage } from './pages/CallsPage';
import { FlowPage } from './pages/FlowPage';
import { LiveCallsPage } from './pages/LiveCallsPage';

function SignedInRoutes() {
  const { session } = useAuth();
  if (!session) return <SignInPage />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/live" replace />} />
        <Route path="live" element={<LiveCallsPage />} />
        <Route path="calls" element={<CallsPage />} />
        <Route path="calls/:callSid" element={<CallPage />} />
        <Route path="flow" element={<FlowPage />} />
        <Route path="agents/*" element={<AgentsPage />} />
        <Route path="*" element={<Navigate to="/live" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter basename="/console">
        <SignedInRoutes />
      </BrowserRouter>
    </AuthProvider>
  );
}
