import type { CallEventView } from '../calls/types';
import { canSendWhisper, characterCount, noteAppliedAt, WHISPER_MAX, whisperProblem } from './notes';

describe('whisper text', () => {
  it('counts characters as a person does', () => {
    expect(characterCount('offer 10%')).toBe(9);
    expect(characterCount('🎧 ok')).toBe(4);
  });

  it('can be sent with 1..500 characters once trimmed', () => {
    expect(canSendWhisper('')).toBe(false);
    expect(canSendWhisper('   \n')).toBe(false);
    expect(canSendWhisper('Offer the goodwill credit')).toBe(true);
    expect(canSendWhisper('x'.repeat(WHISPER_MAX))).toBe(true);
    expect(canSendWhisper(` ${'x'.repeat(WHISPER_MAX)} `)).toBe(true);
    expect(canSendWhisper('x'.repeat(WHISPER_MAX + 1))).toBe(false);
  });

  it('says by how much a note is too long, and nothing for an empty box', () => {
    expect(whisperProblem('')).toBeNull();
    expect(whisperProblem('x'.repeat(WHISPER_MAX + 1))).toBe('1 character too long (at most 500).');
    expect(whisperProblem('x'.repeat(WHISPER_MAX + 12))).toBe('12 characters too long (at most 500).');
  });
});

describe('noteAppliedAt', () => {
  const event = (seq: number, type: string, fields: Record<string, unknown> = {}): CallEventView => ({
    seq,
    at: `2025-11-17T09:30:0${seq}.000Z`,
    type,
    ...fields,
  });
  const events = [
    event(1, 'supervision.whisper', { noteId: 'n1', text: 'offer the credit' }),
    event(2, 'supervision.notes.applied', { department: 'billing', noteIds: ['n1'] }),
    event(3, 'supervision.whisper', { noteId: 'n2', text: 'ask for the order number' }),
    event(4, 'supervision.notes.applied', { department: 'billing', noteIds: ['n1', 'n2'] }),
    event(5, 'supervision.whisper', { noteId: 'n3', text: 'be brief' }),
  ];

  it('is when the first session.update carrying the note reached the agent', () => {
    expect(noteAppliedAt(events, 'n1')).toBe('2025-11-17T09:30:02.000Z');
    expect(noteAppliedAt(events, 'n2')).toBe('2025-11-17T09:30:04.000Z');
  });

  it('is null while the note waits for the next reply boundary, or when the events are malformed', () => {
    expect(noteAppliedAt(events, 'n3')).toBeNull();
    expect(noteAppliedAt([event(1, 'supervision.notes.applied', { noteIds: 'n3' })], 'n3')).toBeNull();
  });
});
