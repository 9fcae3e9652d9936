import { Link } from 'react-router';
import { useApi } from '../auth/AuthContext';
import { Empty, ErrorState, Loading } from '../components/States';
import { useResource } from '../components/useResource';
import { listAgents } from './agentsApi';
import { formatTimestamp } from './formatWhen';

/** /agents: every department agent at its current version. */
export function AgentList() {
  const api = useApi();
  const agents = useResource(() => listAgents(api), [api]);
  return (
    <div className="agents-page">
      <h1>Agents</h1>
      <p className="muted">
        Each department&rsquo;s voice agent: its prompt, tools, handoffs and voice. Choose one to see its configuration and history.
      </p>
      {agents.status === 'loading' ? (
        <Loading what="agents" />
      ) : agents.status === 'error' ? (
        <ErrorState error={agents.error} retry={agents.reload} />
      ) : agents.data.length === 0 ? (
        <Empty>No department agents are configured.</Empty>
      ) : (
        <table className="agents-table">
          <caption className="visually-hidden">Department agents</caption>
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col">Key</th>
              <th scope="col" className="number">
                Version
              </th>
              <th scope="col" className="number">
                Tools
              </th>
              <th scope="col" className="number">
                Handoff targets
              </th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {[...agents.data]
              .sort((a, b) => a.displayName.localeCompare(b.displayName))
              .map((agent) => (
                <tr key={agent.key} data-testid={`agent-row-${agent.key}`}>
                  <th scope="row">
                    <Link to={`/agents/${encodeURIComponent(agent.key)}`}>{agent.displayName}</Link>
                  </th>
                  <td>
                    <code>{agent.key}</code>
                  </td>
                  <td className="number">{agent.version}</td>
                  <td className="number">{agent.tools.length}</td>
                  <td className="number">{agent.handoffTargets.length}</td>
                  <td>
                    {formatTimestamp(agent.updatedAt)} <span className="muted">by {agent.author}</span>
                    {agent.note && <div className="muted small">{agent.note}</div>}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
