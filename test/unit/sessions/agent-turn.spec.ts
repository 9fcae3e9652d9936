import { heardTurn, heardWords, openTurn, withTranscript } from '../../../src/sessions/agent-turn';

const TEN_WORDS = 'one two three four five six seven eight nine ten';

describe('heardWords', () => {
  it.each([
    [0, ''],
    [100, 'one'],
    [290, 'one two three'],
    [600, 'one two three four five six'],
    [940, 'one two three four five six seven eight nine'],
    [960, TEN_WORDS],
    [1000, TEN_WORDS],
    [5000, TEN_WORDS],
  ])('keeps the words of the first %i ms of a 1 s reply', (heardMs, expected) => {
    expect(heardWords(TEN_WORDS, heardMs, 1000)).toBe(expected);
  });

  it('counts a word once more than half of it played', () => {
    expect(heardWords(TEN_WORDS, 149, 1000)).toBe('one');
    expect(heardWords(TEN_WORDS, 151, 1000)).toBe('one two');
  });

  it('keeps punctuation and spacing of the part heard', () => {
    expect(heardWords('Hi,  thanks for calling.\nHow can I help?', 500, 1000)).toBe('Hi,  thanks for calling.');
  });

  it('gives nothing when no audio was sent or none was heard', () => {
    expect(heardWords(TEN_WORDS, 0, 0)).toBe('');
    expect(heardWords(TEN_WORDS, 300, 0)).toBe('');
    expect(heardWords('', 300, 1000)).toBe('');
  });
});

describe('agent turns', () => {
  it('records a reply that played to the end as it was generated', () => {
    const turn = { ...withTranscript(openTurn('triage'), TEN_WORDS, false), finished: true };
    expect(heardTurn(turn)).toEqual({ department: 'triage', text: TEN_WORDS, interrupted: false });
  });

  it('records nothing for a reply the provider gave no words for', () => {
    expect(heardTurn({ ...openTurn('triage'), cutAt: { heardMs: 200, sentMs: 400 } })).toBeUndefined();
  });

  it('records the share of the words the caller heard before cutting in, with what was generated', () => {
    const turn = { ...withTranscript(openTurn('billing'), TEN_WORDS, false), cutAt: { heardMs: 300, sentMs: 1000 } };
    expect(heardTurn(turn)).toEqual({
      department: 'billing',
      text: 'one two three',
      interrupted: true,
      heardMs: 300,
      generatedText: TEN_WORDS,
    });
  });

  it("cuts a provider's trimmed transcript by the audio sent before the cut, not the whole reply", () => {
    // AssemblyAI: the full text after reply.started, then the words of the audio it sent (600 ms) when cut.
    const full = withTranscript(openTurn('triage'), TEN_WORDS, false);
    const trimmed = withTranscript(full, 'one two three four five six', true);
    expect(heardTurn({ ...trimmed, cutAt: { heardMs: 400, sentMs: 600 } })).toMatchObject({
      text: 'one two three four',
      interrupted: true,
      heardMs: 400,
      generatedText: 'one two three four five six',
    });
  });

  it('leaves out generatedText when the caller heard every word generated', () => {
    const turn = { ...withTranscript(openTurn('triage'), 'one two', false), cutAt: { heardMs: 990, sentMs: 1000 } };
    expect(heardTurn(turn)).toEqual({ department: 'triage', text: 'one two', interrupted: true, heardMs: 990 });
  });

  it('joins the transcripts of one reply, and a trimmed one replaces them', () => {
    const twoParts = withTranscript(withTranscript(openTurn('faq'), 'First part.', false), 'Second part.', false);
    expect(twoParts.text).toBe('First part. Second part.');
    expect(withTranscript(twoParts, 'First', true)).toMatchObject({ text: 'First', trimmedByProvider: true });
  });

  it("keeps a provider's own interruption flag when no cut was measured", () => {
    const turn = { ...withTranscript(openTurn('triage'), 'one two', true), finished: true };
    expect(heardTurn(turn)).toEqual({ department: 'triage', text: 'one two', interrupted: true });
  });
});
