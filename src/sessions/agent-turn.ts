import { PlaybackPosition } from './reply-playback';

/**
 * One reply of the agent from reply.started until it is recorded: once, as the caller heard it.
 * Providers differ in when their words come (AssemblyAI: the full text, then a trimmed one when
 * cut; OpenAI: the full text before or after a barge-in), so the words wait here for the reply
 * to end.
 */
export interface AgentTurn {
  department: string;
  /** The provider's words for the reply so far; undefined until it sends some. */
  text?: string;
  /** The provider marked its words as cut short. */
  trimmedByProvider: boolean;
  /** reply.done came: the provider sends nothing more for this reply. */
  finished: boolean;
  /** Where playback stood when the caller cut in. */
  cutAt?: PlaybackPosition;
}

/** The agent.said of a turn. */
export interface HeardTurn {
  department: string;
  /** The words the caller heard. */
  text: string;
  interrupted: boolean;
  /** Cut turns: the reply's audio the caller heard. */
  heardMs?: number;
  /** Cut turns: the words generated, when the caller heard fewer. */
  generatedText?: string;
}

export function openTurn(department: string): AgentTurn {
  return { department, trimmedByProvider: false, finished: false };
}

/**
 * A provider's trimmed transcript replaces the words before it (it is that provider's own cut of
 * the same reply); other transcripts of one reply follow on from each other.
 */
export function withTranscript(turn: AgentTurn, text: string, trimmed: boolean): AgentTurn {
  if (trimmed) return { ...turn, text, trimmedByProvider: true };
  return { ...turn, text: turn.text ? `${turn.text} ${text}` : text };
}

/**
 * What to record for a turn; undefined when the provider gave no words for it. The words of a
 * cut turn are those of the audio sent before the cut (a provider's trimmed transcript, or
 * everything generated), so the caller heard the share of them that played.
 */
export function heardTurn(turn: AgentTurn): HeardTurn | undefined {
  if (turn.text === undefined) return undefined;
  const { department, text } = turn;
  if (!turn.cutAt) return { department, text, interrupted: turn.trimmedByProvider };
  const heard = heardWords(text, turn.cutAt.heardMs, turn.cutAt.sentMs);
  return { department, text: heard, interrupted: true, heardMs: turn.cutAt.heardMs, ...(heard !== text ? { generatedText: text } : {}) };
}

/**
 * The first words of `text`, in proportion to the audio heard: words are taken as evenly spread
 * over the audio, and a word counts once more than half of it played. Whitespace and punctuation
 * of the kept part stay as they were.
 */
export function heardWords(text: string, heardMs: number, totalMs: number): string {
  if (totalMs <= 0 || heardMs <= 0) return '';
  if (heardMs >= totalMs) return text;
  const words = [...text.matchAll(/\S+/g)];
  const kept = Math.round((words.length * heardMs) / totalMs);
  if (kept === 0) return '';
  const last = words[kept - 1];
  return text.slice(0, (last.index ?? 0) + last[0].length).trimStart();
}
