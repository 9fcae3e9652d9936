import {
  decodeStereoFrame,
  earsOf,
  JitterBuffer,
  levelOf,
  LISTEN_SAMPLE_RATE,
  scheduleFrame,
  smoothLevel,
  StereoFrame,
} from './listenAudio';

/** Interleaved s16le stereo, as the listen socket sends it. */
function frameOf(pairs: [number, number][]): ArrayBuffer {
  const view = new DataView(new ArrayBuffer(pairs.length * 4));
  pairs.forEach(([caller, agent], index) => {
    view.setInt16(index * 4, caller, true);
    view.setInt16(index * 4 + 2, agent, true);
  });
  return view.buffer;
}

const stereo = (caller: number[], agent: number[]): StereoFrame => ({ caller: Float32Array.from(caller), agent: Float32Array.from(agent) });

describe('decodeStereoFrame', () => {
  it('splits interleaved little-endian samples into the caller (channel 0) and the agent (channel 1), scaled to [-1, 1)', () => {
    const frame = decodeStereoFrame(
      frameOf([
        [0, 16384],
        [-32768, 32767],
        [1, -1],
      ]),
    );
    expect(Array.from(frame.caller)).toEqual([0, -1, 1 / 32768]);
    expect(Array.from(frame.agent)).toEqual([0.5, 32767 / 32768, -1 / 32768]);
  });

  it('reads a whole 100 ms frame (3200 bytes) as 800 samples a channel', () => {
    const frame = decodeStereoFrame(new ArrayBuffer(3200));
    expect(frame.caller).toHaveLength(800);
    expect(frame.agent).toHaveLength(800);
    expect(frame.caller.length / LISTEN_SAMPLE_RATE).toBe(0.1);
  });

  it('ignores a trailing partial sample pair, and reads an empty frame as no samples', () => {
    const bytes = new Uint8Array([0x00, 0x40, 0x00, 0xc0, 0x12, 0x34, 0x56]);
    const frame = decodeStereoFrame(bytes.buffer);
    expect(Array.from(frame.caller)).toEqual([0.5]);
    expect(Array.from(frame.agent)).toEqual([-0.5]);
    expect(decodeStereoFrame(new ArrayBuffer(0)).caller).toHaveLength(0);
  });
});

describe('levelOf', () => {
  it('reads silence and no samples as 0', () => {
    expect(levelOf(new Float32Array(800))).toBe(0);
    expect(levelOf(new Float32Array(0))).toBe(0);
  });

  it('reads full scale as 1, and -30 dBFS halfway up the 60 dB meter', () => {
    expect(levelOf(Float32Array.from([1, -1, 1, -1]))).toBe(1);
    const thirtyDbDown = 10 ** (-30 / 20);
    expect(levelOf(Float32Array.from([thirtyDbDown, -thirtyDbDown]))).toBeCloseTo(0.5, 5);
  });

  it('reads anything quieter than -60 dBFS as 0, and grows with loudness', () => {
    expect(levelOf(Float32Array.from([0.0005, -0.0005]))).toBe(0);
    const quiet = levelOf(Float32Array.from([0.01, -0.01]));
    const loud = levelOf(Float32Array.from([0.3, -0.3]));
    expect(quiet).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(quiet);
  });
});

describe('smoothLevel', () => {
  it('rises at once and falls back gradually, to 0 once tiny', () => {
    expect(smoothLevel(0.2, 0.8)).toBe(0.8);
    expect(smoothLevel(0.8, 0)).toBeCloseTo(0.48);
    expect(smoothLevel(0.8, 0.7)).toBe(0.7);
    expect(smoothLevel(0.015, 0)).toBe(0);
  });
});

describe('earsOf', () => {
  const frame = stereo([0.5, -0.25, 0.9], [0.25, 0, 0.4]);

  it('puts the caller left and the agent right when split', () => {
    const [left, right] = earsOf(frame, 'split');
    expect(left).toBe(frame.caller);
    expect(right).toBe(frame.agent);
  });

  it('mixes both into both ears, clipped to full scale', () => {
    const [left, right] = earsOf(frame, 'mixed');
    expect(Array.from(left)).toEqual([0.75, -0.25, 1]);
    expect(right).toBe(left);
  });
});

describe('scheduleFrame', () => {
  const buffer: JitterBuffer = { leadSeconds: 0.3, maxLeadSeconds: 1.2 };

  it('starts the first frame (nothing queued) the lead ahead of the clock', () => {
    expect(scheduleFrame(5, 0, 0.1, buffer)).toBeCloseTo(5.3);
  });

  it('queues frames back to back while they keep up', () => {
    let queuedUntil = 0;
    const starts: number[] = [];
    for (let frame = 0; frame < 4; frame++) {
      const start = scheduleFrame(10 + frame * 0.1, queuedUntil, 0.1, buffer)!;
      starts.push(start);
      queuedUntil = start + 0.1;
    }
    starts.forEach((start, index) => expect(start).toBeCloseTo(10.3 + index * 0.1));
  });

  it('restarts the lead ahead after running dry (a late frame)', () => {
    expect(scheduleFrame(20, 19.8, 0.1, buffer)).toBeCloseTo(20.3);
    expect(scheduleFrame(20, 20, 0.1, buffer)).toBeCloseTo(20.3);
  });

  it('drops a frame that would put playback more than the most allowed behind the clock', () => {
    expect(scheduleFrame(0, 1.05, 0.1, buffer)).toBeCloseTo(1.05);
    expect(scheduleFrame(0, 1.15, 0.1, buffer)).toBeNull();
  });
});
