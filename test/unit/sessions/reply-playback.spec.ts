import { ReplyPlaybackTracker } from '../../../src/sessions/reply-playback';

/** `ms` of 8 kHz mu-law, base64 as the provider sends it. */
const audio = (ms: number) => Buffer.alloc(ms * 8, 0xff).toString('base64');

describe('ReplyPlaybackTracker', () => {
  it('names a mark after each chunk with the reply and the audio sent so far', () => {
    const playback = new ReplyPlaybackTracker();
    playback.startReply();
    expect([playback.audioSent(audio(20)), playback.audioSent(audio(20)), playback.audioSent(audio(100))]).toEqual([
      'reply-1@20',
      'reply-1@40',
      'reply-1@140',
    ]);
    expect(playback.sentMs).toBe(140);
    expect(playback.heardMs).toBe(0);
    expect(playback.unplayedMs).toBe(140);
  });

  it('learns from echoed marks how much Twilio has played', () => {
    const playback = new ReplyPlaybackTracker();
    playback.startReply();
    const marks = [20, 20, 20, 20].map((ms) => playback.audioSent(audio(ms)));
    expect(playback.markEchoed(marks[0])).toBe(true);
    expect(playback.markEchoed(marks[1])).toBe(true);
    expect(playback.heardMs).toBe(40);
    expect(playback.unplayedMs).toBe(40);
    expect(playback.markEchoed(marks[0])).toBe(false);
    expect(playback.heardMs).toBe(40);
  });

  it('counts each reply from zero and ignores the marks of an earlier one', () => {
    const playback = new ReplyPlaybackTracker();
    playback.startReply();
    const first = playback.audioSent(audio(500));
    playback.startReply();
    playback.audioSent(audio(60));
    expect(playback.markEchoed(first)).toBe(false);
    expect(playback.sentMs).toBe(60);
    expect(playback.heardMs).toBe(0);
  });

  it('on clear answers where the reply stood and ignores the echoes Twilio sends for the dropped audio', () => {
    const playback = new ReplyPlaybackTracker();
    playback.startReply();
    const marks = Array.from({ length: 30 }, () => playback.audioSent(audio(20)));
    marks.slice(0, 12).forEach((name) => playback.markEchoed(name));

    expect(playback.clear()).toEqual({ heardMs: 240, sentMs: 600 });
    // Twilio echoes every pending mark at once when it clears: none of them was heard.
    expect(marks.slice(12).map((name) => playback.markEchoed(name))).toEqual(marks.slice(12).map(() => false));
    expect(playback.heardMs).toBe(0);
    expect(playback.unplayedMs).toBe(0);
  });

  it('ignores marks that are not its own', () => {
    const playback = new ReplyPlaybackTracker();
    playback.startReply();
    playback.audioSent(audio(100));
    for (const name of ['prompt-hold-1', 'human-transfer-recorded', 'reply-1@', 'reply-1@x', 'reply-12@40', 'reply-1@-5']) {
      expect(playback.markEchoed(name)).toBe(false);
    }
    expect(playback.heardMs).toBe(0);
  });

  it('counts audio that comes without any reply.started', () => {
    const playback = new ReplyPlaybackTracker();
    const mark = playback.audioSent(audio(20));
    expect(mark).toBe('reply-0@20');
    expect(playback.markEchoed(mark)).toBe(true);
  });
});
