import type { CallEventView } from '../calls/types';

/** The service takes notes of 1..500 characters. */
export const WHISPER_MAX = 500;

/** Characters as a person counts them (an emoji is one). */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Why a note cannot be sent, or null when it can (an empty box is not a problem to show: Send is just off). */
export function whisperProblem(text: string): string | null {
  const over = characterCount(text.trim()) - WHISPER_MAX;
  return over > 0 ? `${over} ${over === 1 ? 'character' : 'characters'} too long (at most ${WHISPER_MAX}).` : null;
}

export function canSendWhisper(text: string): boolean {
  return text.trim() !== '' && whisperProblem(text) === null;
}

/** When a note first reached the agent's instructions (a supervision.notes.applied naming it), or null while it waits. */
export function noteAppliedAt(events: CallEventView[], noteId: string): string | null {
  const applied = events.find(
    (event) => event.type === 'supervision.notes.applied' && Array.isArray(event.noteIds) && event.noteIds.includes(noteId),
  );
  return applied ? applied.at : null;
}
