import { OutboundPlaybackClock } from '../../../src/simulator/outbound-playback.clock';

const FRAME = 160; // 20 ms of 8 kHz mu-law

describe('OutboundPlaybackClock', () => {
  it('answers a mark at once when nothing is queued', () => {
    const clock = new OutboundPlaybackClock();
    clock.enqueueMark('idle', 1000);

    expect(clock.takeDueMarks(1000)).toEqual(['idle']);
  });

  it('answers a mark once the audio queued before it has played', () => {
    const clock = new OutboundPlaybackClock();
    [0, 0, 0].forEach(() => clock.enqueueAudio(FRAME, 1000));
    clock.enqueueMark('after-60ms', 1000);

    expect(clock.nextMarkDueAt()).toBe(1060);
    expect(clock.takeDueMarks(1059)).toEqual([]);
    expect(clock.takeDueMarks(1060)).toEqual(['after-60ms']);
    expect(clock.nextMarkDueAt()).toBeUndefined();
  });

  it('plays audio that arrives after a gap from its arrival, not from the end of earlier audio', () => {
    const clock = new OutboundPlaybackClock();
    clock.enqueueAudio(FRAME, 0);
    clock.enqueueAudio(FRAME, 500);
    clock.enqueueMark('m', 500);

    expect(clock.nextMarkDueAt()).toBe(520);
    expect(clock.queuedMs(510)).toBe(10);
  });

  it('keeps marks in order and releases each at its own point in the audio', () => {
    const clock = new OutboundPlaybackClock();
    clock.enqueueAudio(FRAME, 0);
    clock.enqueueMark('first', 0);
    clock.enqueueAudio(FRAME * 2, 5);
    clock.enqueueMark('second', 5);

    expect(clock.takeDueMarks(30)).toEqual(['first']);
    expect(clock.takeDueMarks(59)).toEqual([]);
    expect(clock.takeDueMarks(60)).toEqual(['second']);
  });

  it('starts audio that reaches an idle stream after the playout delay, and plays what follows without a gap', () => {
    const clock = new OutboundPlaybackClock(200);
    clock.enqueueAudio(FRAME, 0);
    clock.enqueueMark('first', 0);
    clock.enqueueAudio(FRAME, 20);
    clock.enqueueMark('second', 20);

    expect(clock.nextMarkDueAt()).toBe(220);
    expect(clock.takeDueMarks(239)).toEqual(['first']);
    expect(clock.takeDueMarks(240)).toEqual(['second']);
    expect(clock.totals(100)).toEqual({ receivedMs: 40, droppedMs: 0, playedMs: 0, queuedMs: 40 });
    expect(clock.totals(230)).toEqual({ receivedMs: 40, droppedMs: 0, playedMs: 30, queuedMs: 10 });
  });

  it('clear during the playout delay drops every queued millisecond, and the next audio waits the delay again', () => {
    const clock = new OutboundPlaybackClock(200);
    clock.enqueueAudio(FRAME * 5, 0);

    expect(clock.clear(50)).toEqual({ droppedMs: 100, marks: [] });
    clock.enqueueAudio(FRAME, 60);
    clock.enqueueMark('after-clear', 60);
    expect(clock.nextMarkDueAt()).toBe(280);
  });

  it('clear drops the queued audio and hands back every pending mark', () => {
    const clock = new OutboundPlaybackClock();
    for (let frame = 0; frame < 100; frame++) {
      clock.enqueueAudio(FRAME, 0);
    }
    clock.enqueueMark('a', 0);
    clock.enqueueMark('b', 0);

    expect(clock.clear(500)).toEqual({ droppedMs: 1500, marks: ['a', 'b'] });
    expect(clock.queuedMs(500)).toBe(0);
    expect(clock.totals(500)).toEqual({ receivedMs: 2000, droppedMs: 1500, playedMs: 500, queuedMs: 0 });

    clock.enqueueMark('after-clear', 500);
    expect(clock.takeDueMarks(500)).toEqual(['after-clear']);
  });
});
