import { ReplyPlayback, truncationPoint } from '../../../../src/voice-agent/openai/openai-reply-playback';

const audio = (bytes: number) => Buffer.alloc(bytes, 0x7f).toString('base64');

describe('truncationPoint', () => {
  it('is what the caller heard, never past what was relayed, never negative', () => {
    expect(truncationPoint(500, 8 * 1000, 8)).toBe(500);
    expect(truncationPoint(1500, 8 * 1000, 8)).toBe(1000);
    expect(truncationPoint(-5, 8 * 1000, 8)).toBe(0);
    expect(truncationPoint(499.9, 8 * 1000, 8)).toBe(499);
    expect(truncationPoint(Number.NaN, 8 * 1000 + 7, 8)).toBe(1000);
  });
});

describe('ReplyPlayback', () => {
  it('tracks the item playing and the milliseconds relayed of it (8 bytes of mu-law a millisecond)', () => {
    const playback = new ReplyPlayback(8);
    expect(playback.relay('item_1', audio(160))).toBe(true);
    expect(playback.relay(undefined, audio(160))).toBe(true);
    expect(playback.currentItemId).toBe('item_1');
    expect(playback.relayedMs).toBe(40);
    playback.relay('item_2', audio(80));
    expect(playback.currentItemId).toBe('item_2');
    expect(playback.relayedMs).toBe(10);
  });

  it('cuts the item once at min(heard, relayed) and plays none of its remaining audio', () => {
    const playback = new ReplyPlayback(8);
    playback.relay('item_1', audio(8 * 600));
    expect(playback.interrupt(250)).toEqual({ itemId: 'item_1', audioEndMs: 250 });
    expect(playback.interrupt(300)).toBeUndefined();
    expect(playback.relay('item_1', audio(160))).toBe(false);
    expect(playback.relay('item_2', audio(160))).toBe(true);
    expect(playback.interrupt(9_000)).toEqual({ itemId: 'item_2', audioEndMs: 20 });
  });

  it('mutes the rest of an item the server cancels, and still cuts it at what was relayed', () => {
    const playback = new ReplyPlayback(8);
    playback.relay('item_1', audio(8 * 100));
    playback.muteCurrentItem();
    expect(playback.relay('item_1', audio(8 * 100))).toBe(false);
    expect(playback.interrupt(5_000)).toEqual({ itemId: 'item_1', audioEndMs: 100 });
  });

  it('has nothing to cut before any audio or after a reset', () => {
    const playback = new ReplyPlayback(8);
    expect(playback.interrupt(100)).toBeUndefined();
    playback.relay('item_1', audio(160));
    playback.reset(48);
    expect(playback.interrupt(100)).toBeUndefined();
    playback.relay('item_2', audio(480));
    expect(playback.relayedMs).toBe(10);
  });
});
