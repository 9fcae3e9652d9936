import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useApi, useIsAdmin } from '../auth/AuthContext';
import { ErrorState, Loading } from '../components/States';
import { useResource } from '../components/useResource';
import { LoadedAgent } from './agent.types';
import { AgentEditor } from './AgentEditor';
import { AgentReadOnly } from './AgentReadOnly';
import { listAgents, listTools, loadAgent, rollbackAgent, voiceCatalog } from './agentsApi';
import { Catalogs } from './catalog';
import { formatWhen } from './formatWhen';
import { VersionHistory } from './VersionHistory';

/** /agents/:key: one department's config; admins edit it, everyone sees its history. */
export function AgentDetail() {
  const { key = '' } = useParams();
  const api = useApi();
  const agent = useResource(() => loadAgent(api, key), [api, key]);
  return (
    <div className="agent-page">
      <p className="back">
        <Link to="/agents">← All agents</Link>
      </p>
      {agent.status === 'loading' ? (
        <Loading what={`agent ${key}`} />
      ) : agent.status === 'error' ? (
        <>
          <h1>Agent {key}</h1>
          {agent.error instanceof ApiError && agent.error.status === 404 ? (
            <p className="state error" role="alert">
              There is no department agent &ldquo;{key}&rdquo;. <Link to="/agents">See every agent</Link>.
            </p>
          ) : (
            <ErrorState error={agent.error} retry={agent.reload} />
          )}
        </>
      ) : (
        <AgentWorkspace key={key} initial={agent.data} />
      )}
    </div>
  );
}

function AgentWorkspace({ initial }: { initial: LoadedAgent }) {
  const api = useApi();
  const isAdmin = useIsAdmin();
  const key = initial.config.key;
  const [latest, setLatest] = useState(initial);
  // A rollback replaces what the editor holds: a new editor starts from the version it made.
  const [editorStart, setEditorStart] = useState({ agent: initial, epoch: 0 });
  const [editorDirty, setEditorDirty] = useState(false);
  const [notice, setNotice] = useState<string>();
  const tools = useResource(() => listTools(api), [api]);
  const voices = useResource(() => voiceCatalog(api), [api]);
  const agents = useResource(() => listAgents(api), [api]);
  const catalogs: Catalogs = { tools, voices, agents };

  const remember = useCallback((agent: LoadedAgent) => {
    setLatest((known) => (agent.config.version >= known.config.version ? agent : known));
  }, []);

  const rollback = async (version: number) => {
    try {
      const rolled = await rollbackAgent(api, key, version, latest.etag);
      remember(rolled);
      setEditorStart((start) => ({ agent: rolled, epoch: start.epoch + 1 }));
      setNotice(`Rolled back: version ${rolled.config.version} has version ${version}'s content and is live now.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        // Someone saved meanwhile: show their version in the history before anyone rolls back over it.
        const newer = await loadAgent(api, key).catch(() => undefined);
        if (newer) remember(newer);
        throw new Error(
          `Not rolled back: ${newer ? `version ${newer.config.version}` : 'a newer version'} was saved by someone else meanwhile. ` +
            'Check it in the history, then roll back again if you still want to.',
        );
      }
      throw error;
    }
  };

  const { config } = latest;
  return (
    <>
      <header className="agent-header">
        <h1>
          {config.displayName} <span className="muted agent-key">({config.key})</span>
        </h1>
        <p className="agent-meta">
          <span className="badge" data-testid="agent-version">
            version {config.version}
          </span>{' '}
          saved by {config.author} {formatWhen(config.updatedAt)}
          {config.note && <span className="muted"> — {config.note}</span>}
        </p>
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="link" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </p>
      )}
      {isAdmin ? (
        <AgentEditor
          key={editorStart.epoch}
          start={editorStart.agent}
          catalogs={catalogs}
          onStored={(agent) => {
            setNotice(undefined);
            remember(agent);
          }}
          onNewerSeen={remember}
          onDirtyChange={setEditorDirty}
        />
      ) : (
        <AgentReadOnly config={config} catalogs={catalogs} />
      )}
      <VersionHistory
        agentKey={key}
        currentVersion={config.version}
        catalogs={catalogs}
        onRollback={isAdmin ? rollback : undefined}
        editorDirty={editorDirty}
      />
    </>
  );
}
