import { CallAudioMixer, MuLawQueue } from '../../../../src/supervision/listen/call-audio.mixer';

/** 20 ms of one mu-law byte value, base64, as a Twilio frame carries it. */
const twentyMs = (byte: number) => Buffer.alloc(160, byte).toString('base64');
const base64Of = (bytes: number, byte: number) => Buffer.alloc(bytes, byte).toString('base64');
const callerOf = (frame: Buffer) => frame.subarray(0, 800);
const agentOf = (frame: Buffer) => frame.subarray(800);
/** How many bytes of a leg hold `byte` (the rest being silence or other audio). */
const countOf = (leg: Buffer, byte: number) => leg.filter((value) => value === byte).length;

describe('MuLawQueue', () => {
  it('takes bytes in order across the wrap of its ring, silence where it runs short', () => {
    const queue = new MuLawQueue(10);
    queue.push(Buffer.from([1, 2, 3, 4, 5, 6, 7]));
    const first = Buffer.alloc(5);
    expect(queue.takeInto(first, 0, 5)).toBe(5);
    queue.push(Buffer.from([8, 9, 10, 11, 12, 13]));
    const second = Buffer.alloc(12);
    expect(queue.takeInto(second, 0, 12)).toBe(8);
    expect([...first]).toEqual([1, 2, 3, 4, 5]);
    expect([...second]).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 0xff, 0xff, 0xff, 0xff]);
    expect(queue.size).toBe(0);
  });

  it('drops the oldest bytes beyond its capacity', () => {
    const queue = new MuLawQueue(4);
    queue.push(Buffer.from([1, 2, 3]));
    queue.push(Buffer.from([4, 5, 6]));
    const taken = Buffer.alloc(4);
    queue.takeInto(taken, 0, 4);
    expect([...taken]).toEqual([3, 4, 5, 6]);
    queue.push(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    queue.takeInto(taken, 0, 4);
    expect([...taken]).toEqual([6, 7, 8, 9]);
  });
});

describe('CallAudioMixer', () => {
  const START = 1_000_000;

  it('gives one 1600-byte frame per 100 ms: 800 bytes of caller then 800 of agent', () => {
    const mixer = new CallAudioMixer(START);
    for (let index = 0; index < 5; index++) mixer.callerAudio(twentyMs(0x10));
    mixer.agentAudio(base64Of(800, 0x20));
    expect(mixer.takeDueFrames(START + 99)).toEqual([]);
    const [frame] = mixer.takeDueFrames(START + 100);
    expect(frame).toHaveLength(1600);
    expect(countOf(callerOf(frame), 0x10)).toBe(800);
    expect(countOf(agentOf(frame), 0x20)).toBe(800);
  });

  it('fills a leg that said nothing, or too little, with mu-law silence', () => {
    const mixer = new CallAudioMixer(START);
    mixer.callerAudio(twentyMs(0x10));
    const [frame] = mixer.takeDueFrames(START + 100);
    expect(countOf(callerOf(frame), 0x10)).toBe(160);
    expect(countOf(callerOf(frame), 0xff)).toBe(640);
    expect(countOf(agentOf(frame), 0xff)).toBe(800);
  });

  it('plays agent audio sent ahead of real time at real-time pace', () => {
    const mixer = new CallAudioMixer(START);
    mixer.agentAudio(base64Of(2000, 0x20));
    const frames = [100, 200, 300, 400].map((ms) => mixer.takeDueFrames(START + ms)[0]);
    expect(frames.map((frame) => countOf(agentOf(frame), 0x20))).toEqual([800, 800, 400, 0]);
  });

  it('drops the agent audio the caller never heard when Twilio is told to clear (barge-in)', () => {
    const mixer = new CallAudioMixer(START);
    mixer.agentAudio(base64Of(4000, 0x20));
    expect(countOf(agentOf(mixer.takeDueFrames(START + 100)[0]), 0x20)).toBe(800);
    mixer.agentAudio(base64Of(800, 0x21));
    mixer.agentAudioCleared();
    mixer.agentAudio(base64Of(400, 0x30));
    const agent = agentOf(mixer.takeDueFrames(START + 200)[0]);
    expect(countOf(agent, 0x30)).toBe(400);
    expect(countOf(agent, 0x20) + countOf(agent, 0x21)).toBe(0);
  });

  it('keeps at most 1 s of caller audio: the oldest goes', () => {
    const mixer = new CallAudioMixer(START);
    mixer.callerAudio(base64Of(8000, 0x10));
    mixer.callerAudio(base64Of(800, 0x11));
    const frames = Array.from({ length: 11 }, (_, index) => mixer.takeDueFrames(START + (index + 1) * 100)[0]);
    expect(frames.map((frame) => countOf(callerOf(frame), 0x10))).toEqual([...Array(9).fill(800), 0, 0]);
    expect(countOf(callerOf(frames[9]), 0x11)).toBe(800);
  });

  it('keeps at most 60 s of agent audio: the oldest goes', () => {
    const mixer = new CallAudioMixer(START);
    mixer.agentAudio(base64Of(480_000, 0x20));
    mixer.agentAudio(base64Of(800, 0x21));
    const agentFrames = Array.from({ length: 601 }, (_, index) => agentOf(mixer.takeDueFrames(START + (index + 1) * 100)[0]));
    expect(agentFrames.filter((agent) => countOf(agent, 0x20) === 800)).toHaveLength(599);
    expect(countOf(agentFrames[599], 0x21)).toBe(800);
    expect(countOf(agentFrames[600], 0xff)).toBe(800);
  });

  it('counts frames from the start, so a late timer catches up instead of drifting', () => {
    const mixer = new CallAudioMixer(START);
    expect(mixer.takeDueFrames(START + 150)).toHaveLength(1);
    expect(mixer.takeDueFrames(START + 390)).toHaveLength(2);
    expect(mixer.takeDueFrames(START + 399)).toHaveLength(0);
    expect(mixer.takeDueFrames(START + 400)).toHaveLength(1);
  });

  it('after a long stall sends at most 1 s at once and skips the older audio with its frames', () => {
    const mixer = new CallAudioMixer(START);
    mixer.agentAudio(base64Of(800 * 30, 0x20));
    mixer.agentAudio(base64Of(800, 0x21));
    const frames = mixer.takeDueFrames(START + 3000);
    expect(frames).toHaveLength(10);
    // 30 frames were due: the first 20 frames' audio is skipped, the last 10 carry what played then.
    expect(countOf(agentOf(frames[9]), 0x20)).toBe(800);
    expect(countOf(agentOf(mixer.takeDueFrames(START + 3100)[0]), 0x21)).toBe(800);
  });
});
