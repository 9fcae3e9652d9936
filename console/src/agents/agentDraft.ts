import { ApiError } from '../api/client';
import { AgentDraft, DRAFT_FIELDS, DraftField, FIELD_LABELS, FormInput } from './agent.types';
import {
  EscalationDraft,
  EscalationInput,
  escalationInputLabel,
  escalationInputOf,
  readableEscalationMessage,
  sameEscalation,
} from './escalationRules';

type ContentField = Exclude<DraftField, 'note'>;
const CONTENT_FIELDS = DRAFT_FIELDS.filter((field): field is ContentField => field !== 'note');

function sameValue(a: AgentDraft[ContentField], b: AgentDraft[ContentField]): boolean {
  if (typeof a === 'object' && !Array.isArray(a) && typeof b === 'object' && !Array.isArray(b))
    return sameEscalation(a as EscalationDraft, b as EscalationDraft);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  return a === b;
}

/** The content fields whose values differ (lists compared as sets: their order means nothing). */
export function changedFields(before: AgentDraft, after: AgentDraft): ContentField[] {
  return CONTENT_FIELDS.filter((field) => !sameValue(before[field], after[field]));
}

/** The history note a save gets when the admin wrote none. */
export function defaultNote(before: AgentDraft, after: AgentDraft): string {
  const changed = changedFields(before, after);
  return changed.length === 0
    ? 'saved from the console'
    : `changed ${changed.map((field) => FIELD_LABELS[field].toLowerCase()).join(', ')}`;
}

/**
 * My edits moved onto a newer version: each field I changed from the version I started on takes my
 * value; every other field takes theirs, so their changes to fields I never touched survive.
 */
export function reapply(theirs: AgentDraft, startedFrom: AgentDraft, mine: AgentDraft): AgentDraft {
  const merged: AgentDraft = { ...theirs, note: mine.note };
  for (const field of changedFields(startedFrom, mine)) Object.assign(merged, { [field]: mine[field] });
  return merged;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** A 400's `fields`, wherever they point: those the form shows beside an input, and the rest. */
export interface Refusal {
  message: string;
  byField: Partial<Record<FormInput, string[]>>;
  unmapped: FieldProblem[];
}

function messagesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined || value === null ? [] : [String(value)];
}

/** `fields` as the service sends it (a list of {field, messages}), or as a map of path to messages. */
export function fieldProblemsOf(fields: unknown): FieldProblem[] {
  if (Array.isArray(fields))
    return fields.flatMap((item: unknown) => {
      if (typeof item !== 'object' || item === null) return [];
      const { field, messages } = item as { field?: unknown; messages?: unknown };
      return typeof field === 'string' ? [{ field, messages: messagesOf(messages) }] : [];
    });
  if (typeof fields === 'object' && fields !== null)
    return Object.entries(fields).map(([field, messages]) => ({ field, messages: messagesOf(messages) }));
  return [];
}

/** The input a field path belongs to: `tools.2` and `tools[2]` are the tools, `voice.value` the voice. */
export function draftFieldOf(path: string): DraftField | undefined {
  const head = path.split(/[.[]/, 1)[0];
  return (DRAFT_FIELDS as readonly string[]).includes(head) ? (head as DraftField) : undefined;
}

/** "systemPrompt must be..." reads "Prompt must be..." beside the prompt. */
function readable(field: DraftField, message: string): string {
  return message.startsWith(`${field} `) ? `${FIELD_LABELS[field]}${message.slice(field.length)}` : message;
}

/** The input a refused path is shown beside: one of the escalation rules' inputs, else a field of the form. */
export function formInputOf(path: string): FormInput | undefined {
  return escalationInputOf(path) ?? draftFieldOf(path);
}

/** How a refusal's summary names an input. */
export function formInputLabel(input: FormInput): string {
  return (DRAFT_FIELDS as readonly string[]).includes(input)
    ? FIELD_LABELS[input as DraftField]
    : `${FIELD_LABELS.escalation}, ${escalationInputLabel(input as EscalationInput)}`;
}

export function refusalOf(error: ApiError): Refusal {
  const byField: Partial<Record<FormInput, string[]>> = {};
  const unmapped: FieldProblem[] = [];
  for (const problem of fieldProblemsOf(error.body.fields)) {
    const input = formInputOf(problem.field);
    const words = (message: string) =>
      input === 'escalation' || input?.startsWith('escalation.')
        ? readableEscalationMessage(message)
        : readable(input as DraftField, message);
    if (input) byField[input] = [...(byField[input] ?? []), ...problem.messages.map(words)];
    else unmapped.push(problem);
  }
  // A refusal that names no field at all still needs saying.
  if (Object.keys(byField).length === 0 && unmapped.length === 0) unmapped.push({ field: '', messages: [error.message] });
  return { message: error.message, byField, unmapped };
}
