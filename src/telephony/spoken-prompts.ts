import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpokenPrompt } from '../sessions/call-session.ports';

/** 20 ms of 8 kHz G.711 mu-law: one Media Stream frame. */
const FRAME_BYTES = 160;
const FRAME_MS = 20;
const PROMPTS: readonly SpokenPrompt[] = ['hold', 'apology', 'goodbye'];

export interface PromptAudio {
  /** Base64 Media Stream payloads, in order. */
  frames: readonly string[];
  durationMs: number;
}

/**
 * The service's own recorded lines (scripts/make-spoken-prompts.sh), cut into Media Stream
 * payloads once at start-up: what the caller hears when the voice agent provider cannot speak.
 */
export class SpokenPrompts {
  private constructor(private readonly audio: ReadonlyMap<SpokenPrompt, PromptAudio>) {}

  static load(directory = join(__dirname, 'prompts')): SpokenPrompts {
    return new SpokenPrompts(new Map(PROMPTS.map((prompt) => [prompt, framesOf(readFileSync(join(directory, `${prompt}.ulaw`)))])));
  }

  get(prompt: SpokenPrompt): PromptAudio {
    return this.audio.get(prompt)!;
  }
}

function framesOf(mulaw: Buffer): PromptAudio {
  const frames: string[] = [];
  for (let offset = 0; offset < mulaw.length; offset += FRAME_BYTES) {
    const frame = Buffer.alloc(FRAME_BYTES, 0xff); // 0xff is mu-law silence: the last frame is padded with it
    mulaw.copy(frame, 0, offset, Math.min(offset + FRAME_BYTES, mulaw.length));
    frames.push(frame.toString('base64'));
  }
  return { frames, durationMs: frames.length * FRAME_MS };
}
