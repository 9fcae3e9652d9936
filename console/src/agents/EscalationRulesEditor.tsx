import { AgentConfig } from './agent.types';
import { Refusal } from './agentDraft';
import {
  ACTION_LABELS,
  ESCALATION_ACTIONS,
  EscalationAction,
  EscalationDraft,
  EscalationInput,
  EscalationRules,
  PHRASE_LIMITS,
  phrasesOf,
  RULE_SPECS,
  RuleDraft,
  RuleSpec,
} from './escalationRules';
import { FieldError, invalidProps } from './FieldError';

const ESCALATION_KEY = 'escalation';

const INTRO =
  'What the service does by itself, whatever the agent says: phrases are matched on what the caller said, ' +
  'as whole words, with case and punctuation ignored.';

/** Why "Hand to escalation" cannot be chosen here, if it cannot. */
function handoffUnavailable(agentKey: string, agents: readonly AgentConfig[] | undefined): string | undefined {
  if (agentKey === ESCALATION_KEY) return 'callers here are already in escalation';
  if (agents && !agents.some((agent) => agent.key === ESCALATION_KEY)) return 'there is no escalation department';
  return undefined;
}

interface EscalationRulesEditorProps {
  agentKey: string;
  rules: EscalationDraft;
  agents: readonly AgentConfig[] | undefined;
  refusal: Refusal | undefined;
  onChange(rules: EscalationDraft): void;
}

/** The rules in the admin's editor: an action per rule, its phrases one per line, its number. */
export function EscalationRulesEditor({ agentKey, rules, agents, refusal, onChange }: EscalationRulesEditorProps) {
  const unavailable = handoffUnavailable(agentKey, agents);
  const change = (spec: RuleSpec, patch: Partial<RuleDraft>) => onChange({ ...rules, [spec.name]: { ...rules[spec.name], ...patch } });
  return (
    <fieldset className="escalation-rules field-group" {...invalidProps('escalation', refusal, 'agent-escalation-hint')}>
      <legend>Escalation rules</legend>
      <p id="agent-escalation-hint" className="hint">
        {INTRO}
      </p>
      <FieldError field="escalation" refusal={refusal} />
      <div className="rule-grid">
        {RULE_SPECS.map((spec) => {
          const rule = rules[spec.name];
          const input = (name: string) => `escalation.${spec.name}.${name}` as EscalationInput;
          const hintId = `agent-escalation-${spec.name}-hint`;
          const phraseCount = phrasesOf(rule.phrases).length;
          return (
            <section key={spec.name} className="rule-card" aria-labelledby={`rule-${spec.name}-title`} data-testid={`rule-${spec.name}`}>
              <h3 id={`rule-${spec.name}-title`}>{spec.title}</h3>
              <p id={hintId} className="hint">
                {spec.description}
              </p>

              <label htmlFor={`agent-escalation-${spec.name}-action`}>
                <span className="visually-hidden">{spec.title}: </span>Action
              </label>
              <select
                {...invalidProps(input('action'), refusal, hintId)}
                value={rule.action}
                onChange={(event) => change(spec, { action: event.target.value as EscalationAction })}
              >
                {ESCALATION_ACTIONS.map((action) => (
                  <option
                    key={action}
                    value={action}
                    disabled={action === 'escalation-handoff' && unavailable !== undefined && rule.action !== action}
                  >
                    {ACTION_LABELS[action]}
                    {action === 'escalation-handoff' && unavailable ? ` (not here: ${unavailable})` : ''}
                  </option>
                ))}
              </select>
              <FieldError field={input('action')} refusal={refusal} />

              {spec.count && (
                <>
                  <label htmlFor={`agent-escalation-${spec.name}-${spec.count.field}`}>
                    <span className="visually-hidden">{spec.title}: </span>
                    {spec.count.label}
                  </label>
                  <input
                    {...invalidProps(input(spec.count.field), refusal)}
                    type="number"
                    className="rule-count"
                    inputMode="numeric"
                    min={spec.count.min}
                    max={spec.count.max}
                    step={1}
                    value={rule.count}
                    onChange={(event) => change(spec, { count: event.target.value })}
                  />
                  <span className="hint">
                    {' '}
                    {spec.count.min} to {spec.count.max}
                  </span>
                  <FieldError field={input(spec.count.field)} refusal={refusal} />
                </>
              )}

              {spec.phrases && (
                <>
                  <label htmlFor={`agent-escalation-${spec.name}-phrases`}>
                    <span className="visually-hidden">{spec.title}: </span>Phrases, one per line
                  </label>
                  <textarea
                    {...invalidProps(input('phrases'), refusal, `agent-escalation-${spec.name}-phrases-hint`)}
                    className="phrases-input"
                    rows={6}
                    value={rule.phrases}
                    onChange={(event) => change(spec, { phrases: event.target.value })}
                    spellCheck
                  />
                  <p id={`agent-escalation-${spec.name}-phrases-hint`} className="hint">
                    {phraseCount} {phraseCount === 1 ? 'phrase' : 'phrases'} (at most {PHRASE_LIMITS.perList}, each up to{' '}
                    {PHRASE_LIMITS.chars} characters).
                  </p>
                  <FieldError field={input('phrases')} refusal={refusal} />
                </>
              )}
            </section>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The rules as they are, for a supervisor: no controls. */
export function EscalationRulesView({ rules }: { rules: EscalationRules }) {
  return (
    <section aria-labelledby="escalation-heading" className="escalation-rules read-only">
      <h2 id="escalation-heading">Escalation rules</h2>
      <p className="hint">{INTRO}</p>
      <div className="rule-grid">
        {RULE_SPECS.map((spec) => {
          const rule = rules[spec.name] as { action: EscalationAction; phrases?: string[] } & Record<string, unknown>;
          return (
            <section key={spec.name} className="rule-card" aria-labelledby={`rule-${spec.name}-title`} data-testid={`rule-${spec.name}`}>
              <h3 id={`rule-${spec.name}-title`}>{spec.title}</h3>
              <p className="hint">{spec.description}</p>
              <p className="rule-action">
                <span className={rule.action === 'off' ? 'badge' : rule.action === 'human-transfer' ? 'badge warn' : 'badge good'}>
                  {ACTION_LABELS[rule.action] ?? rule.action}
                </span>
              </p>
              {spec.count && (
                <p className="rule-count-value">
                  {spec.count.label}: <strong>{String(rule[spec.count.field])}</strong>
                </p>
              )}
              {spec.phrases &&
                (rule.phrases && rule.phrases.length > 0 ? (
                  <ul className="phrase-list" aria-label={`${spec.title} phrases`}>
                    {rule.phrases.map((phrase, index) => (
                      <li key={index}>{phrase}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No phrases.</p>
                ))}
            </section>
          );
        })}
      </div>
    </section>
  );
}
