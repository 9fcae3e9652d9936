import { HttpAnswer } from './form-post.request';
import { twilioSid } from './media-stream-frame.builder';
import { DialInstruction, DialTarget, parseCallTwiml } from './twiml.parser';

/** What the person at the other end of a <Dial> does. */
export type HumanBehaviour = 'answers' | 'no-answer' | 'busy' | 'failed';

export const HUMAN_BEHAVIOURS: readonly HumanBehaviour[] = ['answers', 'no-answer', 'busy', 'failed'];

/** Twilio's DialCallStatus for the dialled leg once the Dial is over. */
export type DialCallStatus = 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled';

export interface HumanLegOptions {
  behaviour: HumanBehaviour;
  ringMs: number;
  talkMs: number;
}

export interface HumanLegContext {
  parentCallSid: string;
  accountSid: string;
  /** The caller ID Twilio presents to the human: the Dial's callerId, else the caller's number. */
  from: string;
  /** A signed POST to a URL from the TwiML, as Twilio makes it. */
  post(url: string, params: Record<string, string>): Promise<HttpAnswer>;
  /** Waits, or rejects once the Dial is abandoned (the caller hung up, the call was redirected). */
  delay(ms: number): Promise<void>;
  /** The human picked up and heard the whisper; they are now with the caller. */
  onAnswered(whisper: string | undefined): void;
}

export interface HumanLegOutcome {
  target: DialTarget;
  dialCallSid: string;
  status: DialCallStatus;
  /** Seconds the human was bridged with the caller (answered calls only). */
  durationSeconds?: number;
  /** The <Say> text of the whisper TwiML, what the human heard before being connected. */
  whisper?: string;
  /** Why the leg failed on the simulator's side (the whisper request refused, its TwiML unreadable). */
  error?: string;
}

/**
 * The dialled leg of a <Dial>: it rings; a human who answers gets the whisper (the <Number url>
 * TwiML, requested with the child call's parameters) and stays with the caller for a while. Only
 * the first noun is dialled: the service dials one target at a time.
 */
export async function dialHuman(dial: DialInstruction, options: HumanLegOptions, context: HumanLegContext): Promise<HumanLegOutcome> {
  const target = dial.targets[0];
  const dialCallSid = twilioSid('CA');
  const timeoutMs = dial.timeoutSeconds * 1000;
  const answersInTime = options.behaviour === 'answers' && options.ringMs <= timeoutMs;
  await context.delay(Math.min(options.ringMs, timeoutMs));
  if (!answersInTime) {
    return { target, dialCallSid, status: options.behaviour === 'answers' ? 'no-answer' : options.behaviour };
  }
  let whisper: string | undefined;
  if (target.url) {
    const heard = await requestWhisper(target, dialCallSid, context);
    if ('error' in heard) {
      return { target, dialCallSid, status: heard.status, error: heard.error };
    }
    whisper = heard.whisper;
  }
  context.onAnswered(whisper);
  await context.delay(options.talkMs);
  return { target, dialCallSid, status: 'completed', durationSeconds: Math.ceil(options.talkMs / 1000), whisper };
}

type WhisperResult = { whisper?: string } | { error: string; status: DialCallStatus };

async function requestWhisper(target: DialTarget, dialCallSid: string, context: HumanLegContext): Promise<WhisperResult> {
  const params = {
    AccountSid: context.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: dialCallSid,
    CallStatus: 'in-progress',
    Called: target.address,
    Caller: context.from,
    Direction: 'outbound-dial',
    From: context.from,
    ParentCallSid: context.parentCallSid,
    To: target.address,
  };
  let answer: HttpAnswer;
  try {
    answer = await context.post(target.url as string, params);
  } catch (error) {
    return { status: 'failed', error: `whisper request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (answer.status !== 200) {
    // Twilio tells the human "an application error has occurred" and hangs their leg up.
    return { status: 'failed', error: `whisper ${target.url} answered ${answer.status}: ${answer.body.slice(0, 200)}` };
  }
  let verbs;
  try {
    verbs = parseCallTwiml(answer.body);
  } catch (error) {
    return { status: 'failed', error: `whisper TwiML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const said = verbs.flatMap((verb) => (verb.verb === 'Say' ? [verb.text] : []));
  if (verbs.some((verb) => verb.verb === 'Hangup' || verb.verb === 'Reject')) {
    // Call screening: the human's TwiML hung up before the bridge, so the caller's Dial was not answered.
    return { status: 'no-answer', error: 'the whisper TwiML hung the human leg up' };
  }
  return { whisper: said.length > 0 ? said.join(' ') : undefined };
}
