import { Link } from 'react-router';
import { ErrorState } from '../components/States';
import { AgentConfig } from './agent.types';
import { agentName, Catalogs, toolInfo, ToolKindBadge } from './catalog';
import { EscalationRulesView } from './EscalationRulesEditor';
import { VoiceNote } from './VoiceNote';

/** What a supervisor sees: the config as it is, with no controls that could change it. */
export function AgentReadOnly({ config, catalogs }: { config: AgentConfig; catalogs: Catalogs }) {
  const registered = catalogs.tools.status === 'ready' ? catalogs.tools.data : undefined;
  const agents = catalogs.agents.status === 'ready' ? catalogs.agents.data : undefined;
  return (
    <>
      <div className="editor-grid read-only">
        <div className="editor-main">
          <section aria-labelledby="prompt-heading">
            <h2 id="prompt-heading">Prompt</h2>
            <pre className="prompt-text" tabIndex={0} aria-labelledby="prompt-heading" data-testid="agent-prompt">
              {config.systemPrompt}
            </pre>
          </section>
          <section aria-labelledby="greeting-heading">
            <h2 id="greeting-heading">Greeting</h2>
            <blockquote className="greeting-text" data-testid="agent-greeting">
              {config.greeting}
            </blockquote>
          </section>
        </div>
        <div className="editor-side">
          <section aria-labelledby="voice-heading">
            <h2 id="voice-heading">Voice</h2>
            <p className="voice-current">
              <strong>{config.voice.value}</strong>
            </p>
            <VoiceNote
              id="agent-voice-note"
              catalog={catalogs.voices.status === 'ready' ? catalogs.voices.data : undefined}
              fallback={config.voice.note}
            />
          </section>
          <section aria-labelledby="tools-heading">
            <h2 id="tools-heading">Tools ({config.tools.length})</h2>
            {config.tools.length === 0 ? (
              <p className="muted">No tools: this agent only talks and hands off.</p>
            ) : (
              <ul className="tool-list">
                {config.tools.map((name) => {
                  const tool = toolInfo(name, registered);
                  return (
                    <li key={name}>
                      <code>{name}</code> <ToolKindBadge tool={tool} loaded={registered !== undefined} />
                      {tool.description && <span className="check-description">{tool.description}</span>}
                    </li>
                  );
                })}
              </ul>
            )}
            {catalogs.tools.status === 'error' && <ErrorState error={catalogs.tools.error} retry={catalogs.tools.reload} />}
          </section>
          <section aria-labelledby="targets-heading">
            <h2 id="targets-heading">Handoff targets</h2>
            {config.handoffTargets.length === 0 ? (
              <p className="muted">None: this agent hands callers to no other department.</p>
            ) : (
              <ul className="tool-list">
                {config.handoffTargets.map((target) => (
                  <li key={target}>
                    <Link to={`/agents/${encodeURIComponent(target)}`}>{agentName(target, agents)}</Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      <EscalationRulesView rules={config.escalation} />
    </>
  );
}
