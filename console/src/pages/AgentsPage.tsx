import { Navigate, Route, Routes } from 'react-router';
import { AgentDetail } from '../agents/AgentDetail';
import { AgentList } from '../agents/AgentList';
import '../agents/agents.css';

/** /agents and /agents/:key (the app routes agents/* here). */
export function AgentsPage() {
  return (
    <Routes>
      <Route index element={<AgentList />} />
      <Route path=":key" element={<AgentDetail />} />
      <Route path="*" element={<Navigate to="/agents" replace />} />
    </Routes>
  );
}
