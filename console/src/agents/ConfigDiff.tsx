import { ReactNode } from 'react';
import { AgentDraft, FIELD_LABELS } from './agent.types';
import { LinesDiff, ListDiff, ValueDiff, WordsDiff } from './Diffs';
import { escalationChanges, EscalationRules, escalationRulesOf, RuleChange } from './escalationRules';

/** What two versions (or a version and a draft) are compared by. */
export type ComparableConfig = Omit<AgentDraft, 'note' | 'escalation'> & { keyterms?: string[]; escalation?: EscalationRules };

/** A draft as a version is compared: its escalation rules as a save would send them. */
export function comparableOf(draft: AgentDraft): ComparableConfig {
  const { note: _note, escalation, ...rest } = draft;
  return { ...rest, escalation: escalationRulesOf(escalation) };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

interface ConfigDiffProps {
  before: ComparableConfig;
  after: ComparableConfig;
  /** Says what "before" and "after" are, for the diff regions' names ("version 2 to version 3"). */
  context: string;
  describeTool?: (name: string) => string;
  describeAgent?: (key: string) => string;
}

/** Field by field: a line and word diff for the prompt, a word diff for the greeting, before and after for the rest. */
export function ConfigDiff({ before, after, context, describeTool, describeAgent }: ConfigDiffProps) {
  const parts: { field: string; title: string; body: ReactNode }[] = [];
  if (before.displayName !== after.displayName)
    parts.push({
      field: 'displayName',
      title: FIELD_LABELS.displayName,
      body: <ValueDiff before={before.displayName} after={after.displayName} />,
    });
  if (before.systemPrompt !== after.systemPrompt)
    parts.push({
      field: 'systemPrompt',
      title: FIELD_LABELS.systemPrompt,
      body: <LinesDiff before={before.systemPrompt} after={after.systemPrompt} label={`Prompt changes, ${context}`} />,
    });
  if (before.greeting !== after.greeting)
    parts.push({
      field: 'greeting',
      title: FIELD_LABELS.greeting,
      body: <WordsDiff before={before.greeting} after={after.greeting} label={`Greeting changes, ${context}`} />,
    });
  if (before.voice !== after.voice)
    parts.push({ field: 'voice', title: FIELD_LABELS.voice, body: <ValueDiff before={before.voice} after={after.voice} /> });
  if (!sameList(before.tools, after.tools))
    parts.push({
      field: 'tools',
      title: FIELD_LABELS.tools,
      body: <ListDiff before={before.tools} after={after.tools} describe={describeTool} />,
    });
  if (!sameList(before.handoffTargets, after.handoffTargets))
    parts.push({
      field: 'handoffTargets',
      title: FIELD_LABELS.handoffTargets,
      body: <ListDiff before={before.handoffTargets} after={after.handoffTargets} describe={describeAgent} />,
    });
  if (before.keyterms && after.keyterms && !sameList(before.keyterms, after.keyterms))
    parts.push({
      field: 'keyterms',
      title: 'Speech recognition keyterms',
      body: <ListDiff before={before.keyterms} after={after.keyterms} />,
    });

  const ruleChanges = before.escalation && after.escalation ? escalationChanges(before.escalation, after.escalation) : [];
  if (ruleChanges.length > 0)
    parts.push({
      field: 'escalation',
      title: FIELD_LABELS.escalation,
      body: <EscalationDiff changes={ruleChanges} context={context} />,
    });

  if (parts.length === 0) return <p className="state empty">The content is the same ({context}).</p>;
  return (
    <div className="config-diff">
      {parts.map((part) => (
        <div key={part.field} className="config-diff-field" data-field={part.field}>
          <h4>{part.title}</h4>
          {part.body}
        </div>
      ))}
    </div>
  );
}

function EscalationDiff({ changes, context }: { changes: RuleChange[]; context: string }) {
  return (
    <div className="escalation-diff">
      {changes.map((change) => (
        <div key={change.rule} role="group" aria-label={`${change.title} rule changes, ${context}`} data-rule={change.rule}>
          <h5>{change.title}</h5>
          {change.action && (
            <div className="rule-diff-line">
              <span className="muted">Action: </span>
              <ValueDiff before={change.action.before} after={change.action.after} />
            </div>
          )}
          {change.count && (
            <div className="rule-diff-line">
              <span className="muted">{change.count.label}: </span>
              <ValueDiff before={change.count.before} after={change.count.after} />
            </div>
          )}
          {change.phrases && <ListDiff before={change.phrases.before} after={change.phrases.after} />}
        </div>
      ))}
    </div>
  );
}
