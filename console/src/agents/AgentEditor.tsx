import { FormEvent, ReactNode, RefObject, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../auth/AuthContext';
import { ErrorState, Loading } from '../components/States';
import { AgentDraft, DraftField, FIELD_LABELS, FormInput, LoadedAgent } from './agent.types';
import { changedFields, defaultNote, formInputLabel, reapply, Refusal, refusalOf } from './agentDraft';
import { draftOf, loadAgent, saveAgent } from './agentsApi';
import { agentName, Catalogs, toolChoices, toolInfo, ToolKindBadge } from './catalog';
import { comparableOf, ConfigDiff } from './ConfigDiff';
import { EscalationRulesEditor } from './EscalationRulesEditor';
import { errorId, FieldError, inputId, invalidProps } from './FieldError';
import { tidyEscalationDraft } from './escalationRules';
import { formatWhen } from './formatWhen';
import { VoiceNote } from './VoiceNote';

const PROMPT_LIMITS = { min: 50, max: 20_000 };

/** Someone saved first: the version they saved, or why it could not be loaded. */
interface Conflict {
  startedFrom: LoadedAgent;
  theirs?: LoadedAgent;
  loadError?: unknown;
}

interface AgentEditorProps {
  start: LoadedAgent;
  catalogs: Catalogs;
  /** A version this editor stored. */
  onStored(agent: LoadedAgent): void;
  /** A newer version someone else stored, found when a save was refused. */
  onNewerSeen(agent: LoadedAgent): void;
  onDirtyChange(dirty: boolean): void;
}

/**
 * An admin's editor. Every save names the version the edits started from (If-Match); when someone
 * else saved first the edits stay on screen and the admin decides what happens to them.
 */
export function AgentEditor({ start, catalogs, onStored, onNewerSeen, onDirtyChange }: AgentEditorProps) {
  const api = useApi();
  const key = start.config.key;
  const [base, setBase] = useState(start);
  const [draft, setDraft] = useState<AgentDraft>(() => draftOf(start.config));
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [failure, setFailure] = useState<unknown>();
  const [conflict, setConflict] = useState<Conflict>();
  const refusalRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLHeadingElement>(null);

  const baseDraft = draftOf(base.config);
  const changed = changedFields(baseDraft, draft);
  const dirty = changed.length > 0;

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  useEffect(() => {
    if (refusal) refusalRef.current?.focus();
  }, [refusal]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const update = <Field extends keyof AgentDraft>(field: Field, value: AgentDraft[Field]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setStatus(undefined);
  };
  const toggle = (field: 'tools' | 'handoffTargets', item: string, on: boolean) =>
    update(field, on ? [...draft[field].filter((value) => value !== item), item] : draft[field].filter((value) => value !== item));

  const save = async (over: LoadedAgent, edited: AgentDraft) => {
    const content = { ...edited, escalation: tidyEscalationDraft(edited.escalation) };
    setDraft(content);
    setSaving(true);
    setStatus(undefined);
    setRefusal(undefined);
    setFailure(undefined);
    try {
      const saved = await saveAgent(api, key, content, over.etag, defaultNote(draftOf(over.config), content));
      setBase(saved);
      setDraft(draftOf(saved.config));
      setConflict(undefined);
      setStatus(`Saved as version ${saved.config.version}.`);
      onStored(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        try {
          const theirs = await loadAgent(api, key);
          setConflict({ startedFrom: over, theirs });
          onNewerSeen(theirs);
        } catch (loadError) {
          setConflict({ startedFrom: over, loadError });
        }
      } else if (error instanceof ApiError && error.status === 400) {
        setRefusal(refusalOf(error));
      } else {
        setFailure(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    if (!dirty && !conflict) {
      setStatus(`Nothing to save: the form matches version ${base.config.version}.`);
      return;
    }
    void save(base, draft);
  };

  const resolve = {
    reapply(theirs: LoadedAgent) {
      const both = changedFields(baseDraft, draftOf(theirs.config)).filter((field) => changed.includes(field));
      setDraft(reapply(draftOf(theirs.config), baseDraft, draft));
      setBase(theirs);
      setConflict(undefined);
      setStatus(
        `Your changes are now on top of version ${theirs.config.version} and not saved yet: review them, then save.` +
          (both.length > 0 ? ` You both changed ${both.map((field) => FIELD_LABELS[field].toLowerCase()).join(', ')}: yours is kept.` : ''),
      );
    },
    overwrite(theirs: LoadedAgent) {
      void save(theirs, draft);
    },
    discard(theirs: LoadedAgent) {
      setBase(theirs);
      setDraft(draftOf(theirs.config));
      setConflict(undefined);
      setStatus(`Loaded version ${theirs.config.version}; your edits were discarded.`);
    },
  };

  const fieldProps = (field: DraftField, hint?: string) => invalidProps(field, refusal, hint);

  return (
    <form className="agent-editor" onSubmit={submit} aria-label={`Edit ${start.config.displayName}`} noValidate>
      {conflict && (
        <ConflictPanel
          conflict={conflict}
          draft={draft}
          catalogs={catalogs}
          headingRef={conflictRef}
          busy={saving}
          onReapply={resolve.reapply}
          onOverwrite={resolve.overwrite}
          onDiscard={resolve.discard}
        />
      )}
      {refusal && <RefusalSummary refusal={refusal} summaryRef={refusalRef} />}
      {failure !== undefined && <ErrorState error={failure} />}

      <div className="editor-grid">
        <div className="editor-main">
          <label htmlFor={inputId('displayName')}>Display name</label>
          <input
            {...fieldProps('displayName')}
            className="wide"
            value={draft.displayName}
            onChange={(event) => update('displayName', event.target.value)}
          />
          <FieldError field="displayName" refusal={refusal} />

          <label htmlFor={inputId('systemPrompt')}>Prompt</label>
          <p id="agent-prompt-hint" className="hint">
            The department runbook the voice agent follows. {draft.systemPrompt.length.toLocaleString()} characters (at least{' '}
            {PROMPT_LIMITS.min}, at most {PROMPT_LIMITS.max.toLocaleString()}).
          </p>
          <textarea
            {...fieldProps('systemPrompt', 'agent-prompt-hint')}
            className="prompt-input"
            rows={22}
            value={draft.systemPrompt}
            onChange={(event) => update('systemPrompt', event.target.value)}
            spellCheck
          />
          <FieldError field="systemPrompt" refusal={refusal} />

          <label htmlFor={inputId('greeting')}>Greeting</label>
          <p id="agent-greeting-hint" className="hint">
            Spoken when a call starts with this agent.
          </p>
          <textarea
            {...fieldProps('greeting', 'agent-greeting-hint')}
            className="greeting-input"
            rows={2}
            value={draft.greeting}
            onChange={(event) => update('greeting', event.target.value)}
          />
          <FieldError field="greeting" refusal={refusal} />
        </div>

        <div className="editor-side">
          <VoiceField draft={draft} base={base} catalogs={catalogs} refusal={refusal} onChange={(voice) => update('voice', voice)} />
          <ToolsField draft={draft} catalogs={catalogs} refusal={refusal} onToggle={(tool, on) => toggle('tools', tool, on)} />
          <TargetsField
            agentKey={key}
            draft={draft}
            catalogs={catalogs}
            refusal={refusal}
            onToggle={(target, on) => toggle('handoffTargets', target, on)}
          />
        </div>
      </div>

      <EscalationRulesEditor
        agentKey={key}
        rules={draft.escalation}
        agents={catalogs.agents.status === 'ready' ? catalogs.agents.data : undefined}
        refusal={refusal}
        onChange={(escalation) => update('escalation', escalation)}
      />

      <div className="editor-actions">
        <div className="note-field">
          <label htmlFor={inputId('note')}>Change note</label>
          <input
            {...fieldProps('note', 'agent-note-hint')}
            className="wide"
            value={draft.note}
            placeholder={defaultNote(baseDraft, draft)}
            onChange={(event) => update('note', event.target.value)}
          />
          <p id="agent-note-hint" className="hint">
            Kept in the version history. Left empty, it says which fields changed.
          </p>
          <FieldError field="note" refusal={refusal} />
        </div>
        <div className="editor-buttons">
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {dirty && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft(baseDraft);
                setRefusal(undefined);
                setStatus('Your edits were discarded.');
              }}
            >
              Discard edits
            </button>
          )}
          <p className={status ? 'editor-status done' : 'editor-status'} role="status" aria-live="polite">
            {status ??
              (dirty
                ? `Unsaved changes to ${changed.map((field) => FIELD_LABELS[field].toLowerCase()).join(', ')} (editing version ${base.config.version}).`
                : `Editing version ${base.config.version}.`)}
          </p>
        </div>
      </div>
    </form>
  );
}

function RefusalSummary({ refusal, summaryRef }: { refusal: Refusal; summaryRef: RefObject<HTMLDivElement | null> }) {
  const mapped = Object.entries(refusal.byField) as [FormInput, string[]][];
  return (
    <div className="state error refusal" role="alert" tabIndex={-1} ref={summaryRef}>
      <p>
        <strong>Not saved: the service refused these changes.</strong> Fix the fields below and save again.
      </p>
      <ul>
        {mapped.map(([field, messages]) => (
          <li key={field}>
            <a href={`#${inputId(field)}`}>{formInputLabel(field)}</a>: {messages.join(' ')}
          </li>
        ))}
        {refusal.unmapped.map((problem, index) => (
          <li key={`${problem.field}-${index}`} data-testid="unmapped-problem">
            {problem.field && <strong>{problem.field}: </strong>}
            {problem.messages.join(' ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ConflictPanelProps {
  conflict: Conflict;
  draft: AgentDraft;
  catalogs: Catalogs;
  headingRef: RefObject<HTMLHeadingElement | null>;
  busy: boolean;
  onReapply(theirs: LoadedAgent): void;
  onOverwrite(theirs: LoadedAgent): void;
  onDiscard(theirs: LoadedAgent): void;
}

function ConflictPanel({ conflict, draft, catalogs, headingRef, busy, onReapply, onOverwrite, onDiscard }: ConflictPanelProps) {
  const { startedFrom, theirs } = conflict;
  const mine = startedFrom.config.version;
  const describeAgent = (key: string) => agentName(key, catalogs.agents.status === 'ready' ? catalogs.agents.data : undefined);
  return (
    <section className="conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" tabIndex={-1} ref={headingRef}>
        Not saved: someone else saved first
      </h2>
      {theirs ? (
        <>
          <p data-testid="conflict-explanation" role="alert">
            <strong>
              Version {theirs.config.version} was saved by someone else while you edited version {mine}.
            </strong>{' '}
            Nothing of yours was saved, and your edits are still in the form below. Version {theirs.config.version} was saved by{' '}
            {theirs.config.author} {formatWhen(theirs.config.updatedAt)}
            {theirs.config.note ? <> with the note “{theirs.config.note}”</> : null}.
          </p>
          <details open>
            <summary>
              What changed from version {mine} to version {theirs.config.version}
            </summary>
            <ConfigDiff
              before={comparableOf(draftOf(startedFrom.config))}
              after={comparableOf(draftOf(theirs.config))}
              context={`version ${mine} to version ${theirs.config.version}`}
              describeAgent={describeAgent}
            />
          </details>
          <details>
            <summary>Your edits compared with version {theirs.config.version}</summary>
            <ConfigDiff
              before={comparableOf(draftOf(theirs.config))}
              after={comparableOf(draft)}
              context={`version ${theirs.config.version} to your edits`}
              describeAgent={describeAgent}
            />
          </details>
          <div className="conflict-actions">
            <button type="button" onClick={() => onReapply(theirs)} disabled={busy}>
              Apply my changes to version {theirs.config.version}
            </button>
            <button type="button" className="danger" onClick={() => onOverwrite(theirs)} disabled={busy}>
              Save my version over version {theirs.config.version}
            </button>
            <button type="button" className="secondary" onClick={() => onDiscard(theirs)} disabled={busy}>
              Discard my edits and load version {theirs.config.version}
            </button>
          </div>
          <p className="hint">
            “Apply my changes” keeps their changes to fields you did not touch and lets you review before saving. “Save my version over”
            replaces everything with what is in your form now.
          </p>
        </>
      ) : (
        <>
          <p data-testid="conflict-explanation" role="alert">
            <strong>A newer version than {mine} was saved by someone else while you edited.</strong> Nothing of yours was saved, and your
            edits are still in the form below. The newer version could not be loaded:
          </p>
          <ErrorState error={conflict.loadError} />
        </>
      )}
    </section>
  );
}

interface FieldWithCatalogProps {
  draft: AgentDraft;
  catalogs: Catalogs;
  refusal: Refusal | undefined;
}

function VoiceField({
  draft,
  base,
  catalogs,
  refusal,
  onChange,
}: FieldWithCatalogProps & { base: LoadedAgent; onChange(voice: string): void }) {
  const { voices } = catalogs;
  const problems = refusal?.byField.voice;
  const describedBy = ['agent-voice-note', problems ? errorId('voice') : undefined].filter(Boolean).join(' ');
  let control: ReactNode;
  if (voices.status === 'ready') {
    const options = [...new Set([...voices.data.voices, base.config.voice.value, draft.voice])];
    control = (
      <select
        id={inputId('voice')}
        value={draft.voice}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problems ? true : undefined}
        aria-describedby={describedBy}
      >
        {options.map((voice) => (
          <option key={voice} value={voice}>
            {voice}
            {voice === voices.data.defaultVoice ? ' (provider default)' : ''}
            {voices.data.voices.includes(voice) ? '' : ' (not offered by this provider)'}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <p className="voice-current">
        <strong>{draft.voice}</strong> <span className="muted">(the voice list is needed to change it)</span>
      </p>
    );
  }
  return (
    <div className="field-group">
      {voices.status === 'ready' ? <label htmlFor={inputId('voice')}>Voice</label> : <h3 className="field-title">Voice</h3>}
      <div className="voice-row">
        {control}
        <VoiceNote id="agent-voice-note" catalog={voices.status === 'ready' ? voices.data : undefined} fallback={base.config.voice.note} />
      </div>
      {voices.status === 'loading' && <Loading what="the provider's voices" />}
      {voices.status === 'error' && <ErrorState error={voices.error} retry={voices.reload} />}
      <FieldError field="voice" refusal={refusal} />
    </div>
  );
}

function ToolsField({ draft, catalogs, refusal, onToggle }: FieldWithCatalogProps & { onToggle(tool: string, on: boolean): void }) {
  const { tools } = catalogs;
  const problems = refusal?.byField.tools;
  if (tools.status !== 'ready') {
    // Without the registered tools there is nothing to choose from: the agent's tools stay as they are.
    return (
      <div className="field-group">
        <h3 className="field-title">Tools</h3>
        <ul className="tool-list">
          {draft.tools.map((name) => (
            <li key={name}>
              <code>{name}</code>
            </li>
          ))}
        </ul>
        {tools.status === 'loading' ? (
          <Loading what="the registered tools" />
        ) : (
          <>
            <p className="hint">
              The registered tools could not be loaded, so the tools cannot be changed now; saving keeps them as shown.
            </p>
            <ErrorState error={tools.error} retry={tools.reload} />
          </>
        )}
        <FieldError field="tools" refusal={refusal} />
      </div>
    );
  }
  return (
    <fieldset
      className="field-group checks"
      aria-invalid={problems ? true : undefined}
      aria-describedby={problems ? errorId('tools') : undefined}
      id={inputId('tools')}
    >
      <legend>Tools</legend>
      {toolChoices(tools.data, draft.tools).map((tool) => (
        <label key={tool.name} className="check" title={tool.description || undefined}>
          <input
            type="checkbox"
            checked={draft.tools.includes(tool.name)}
            onChange={(event) => onToggle(tool.name, event.target.checked)}
          />
          <span>
            <code>{tool.name}</code> <ToolKindBadge tool={toolInfo(tool.name, tools.data)} loaded />
            {tool.description && <span className="check-description">{tool.description}</span>}
          </span>
        </label>
      ))}
      <FieldError field="tools" refusal={refusal} />
    </fieldset>
  );
}

function TargetsField({
  agentKey,
  draft,
  catalogs,
  refusal,
  onToggle,
}: FieldWithCatalogProps & { agentKey: string; onToggle(target: string, on: boolean): void }) {
  const { agents } = catalogs;
  const problems = refusal?.byField.handoffTargets;
  if (agents.status !== 'ready') {
    return (
      <div className="field-group">
        <h3 className="field-title">Handoff targets</h3>
        <ul className="tool-list">
          {draft.handoffTargets.map((target) => (
            <li key={target}>{target}</li>
          ))}
        </ul>
        {agents.status === 'loading' ? (
          <Loading what="the departments" />
        ) : (
          <>
            <p className="hint">The departments could not be loaded, so the targets cannot be changed now; saving keeps them as shown.</p>
            <ErrorState error={agents.error} retry={agents.reload} />
          </>
        )}
        <FieldError field="handoffTargets" refusal={refusal} />
      </div>
    );
  }
  const others = agents.data.filter((agent) => agent.key !== agentKey);
  const stray = draft.handoffTargets.filter((target) => !others.some((agent) => agent.key === target));
  return (
    <fieldset
      className="field-group checks"
      aria-invalid={problems ? true : undefined}
      aria-describedby={problems ? errorId('handoffTargets') : undefined}
      id={inputId('handoffTargets')}
    >
      <legend>Handoff targets</legend>
      <p className="hint">Departments this agent may transfer callers to.</p>
      {others.map((agent) => (
        <label key={agent.key} className="check">
          <input
            type="checkbox"
            checked={draft.handoffTargets.includes(agent.key)}
            onChange={(event) => onToggle(agent.key, event.target.checked)}
          />
          <span>
            {agent.displayName} <code className="muted">{agent.key}</code>
          </span>
        </label>
      ))}
      {stray.map((target) => (
        <label key={target} className="check">
          <input type="checkbox" checked onChange={(event) => onToggle(target, event.target.checked)} />
          <span>
            <code>{target}</code> <span className="badge bad">no such department</span>
          </span>
        </label>
      ))}
      <FieldError field="handoffTargets" refusal={refusal} />
    </fieldset>
  );
}
