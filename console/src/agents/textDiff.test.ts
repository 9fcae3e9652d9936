import { Block, lineBlocks, listChanges, Piece, wordPieces } from './textDiff';

const lines = (count: number, prefix: string) => Array.from({ length: count }, (_value, index) => `${prefix} line ${index + 1}.`);
const text = (...parts: string[][]) => `${parts.flat().join('\n')}\n`;

/** The text a side of the diff shows: `before` leaves out what was added, `after` what was removed. */
function sideOf(blocks: Block[], side: 'before' | 'after'): string {
  const hidden = side === 'before' ? 'added' : 'removed';
  return blocks
    .map((block) => {
      if (block.kind === 'changed') return piecesSide(block.pieces, side);
      return block.kind === hidden ? '' : `${block.lines.join('\n')}\n`;
    })
    .join('');
}

function piecesSide(pieces: Piece[], side: 'before' | 'after'): string {
  const hidden = side === 'before' ? 'added' : 'removed';
  return pieces
    .filter((piece) => piece.kind !== hidden)
    .map((piece) => piece.text)
    .join('');
}

const withoutFinalNewline = (value: string) => value.replace(/\n$/, '');

describe('wordPieces', () => {
  it('marks the words that changed and keeps the rest', () => {
    expect(wordPieces('Refunds take five days.', 'Refunds take three days.')).toEqual([
      { kind: 'same', text: 'Refunds take ' },
      { kind: 'removed', text: 'five' },
      { kind: 'added', text: 'three' },
      { kind: 'same', text: ' days.' },
    ]);
  });

  it('is one unchanged piece for the same text', () => {
    expect(wordPieces('Hello there', 'Hello there')).toEqual([{ kind: 'same', text: 'Hello there' }]);
  });

  it.each([
    ['', 'A new greeting.'],
    ['An old greeting.', ''],
    ['Billing, how can I help?', 'Billing desk: how may I help you today?'],
  ])('rebuilds the new text from its pieces, and the old one but for spacing (%p -> %p)', (before, after) => {
    // jsdiff's diffWords takes the whitespace of an unchanged stretch from the new text, so the
    // inline view reads as the new text with the old words struck through.
    const pieces = wordPieces(before, after);
    expect(piecesSide(pieces, 'after')).toBe(after);
    const words = (value: string) => value.replace(/\s+/g, '');
    expect(words(piecesSide(pieces, 'before'))).toBe(words(before));
  });
});

describe('lineBlocks', () => {
  it('keeps a long unchanged stretch in one block, line by line, for the view to fold', () => {
    const head = lines(12, 'Head');
    const tail = lines(9, 'Tail');
    const blocks = lineBlocks(text(head, ['Refunds take five days.'], tail), text(head, ['Refunds take three days.'], tail));
    expect(blocks).toEqual([
      { kind: 'same', lines: head },
      {
        kind: 'changed',
        pieces: [
          { kind: 'same', text: 'Refunds take ' },
          { kind: 'removed', text: 'five' },
          { kind: 'added', text: 'three' },
          { kind: 'same', text: ' days.\n' },
        ],
      },
      { kind: 'same', lines: tail },
    ]);
  });

  it('counts blank lines in an unchanged stretch', () => {
    const blocks = lineBlocks('Intro.\n\nRules:\n\n- be kind\nOld end.\n', 'Intro.\n\nRules:\n\n- be kind\nNew end.\n');
    expect(blocks[0]).toEqual({ kind: 'same', lines: ['Intro.', '', 'Rules:', '', '- be kind'] });
  });

  it('shows added and removed lines whole when none replaced another', () => {
    const before = text(['one', 'two', 'three', 'four']);
    const after = text(['one', 'two and a half', 'two', 'four']);
    expect(lineBlocks(before, after)).toEqual([
      { kind: 'same', lines: ['one'] },
      { kind: 'added', lines: ['two and a half'] },
      { kind: 'same', lines: ['two'] },
      { kind: 'removed', lines: ['three'] },
      { kind: 'same', lines: ['four'] },
    ]);
  });

  it('shows only unchanged blocks when only the newline at the end changed', () => {
    const blocks = lineBlocks('First line.\nLast line.', 'First line.\nLast line.\n');
    expect(blocks.every((block) => block.kind === 'same')).toBe(true);
    expect(blocks).toEqual([{ kind: 'same', lines: ['First line.', 'Last line.'] }]);
  });

  it('does not take a paragraph added at the end for a change to the old last line', () => {
    expect(lineBlocks('Be brief.', 'Be brief.\nAlways confirm the account.')).toEqual([
      { kind: 'same', lines: ['Be brief.'] },
      { kind: 'added', lines: ['Always confirm the account.'] },
    ]);
  });

  it('shows a text written from nothing as added, and one cleared as removed', () => {
    expect(lineBlocks('', 'A\nB\n')).toEqual([{ kind: 'added', lines: ['A', 'B'] }]);
    expect(lineBlocks('A\nB\n', '')).toEqual([{ kind: 'removed', lines: ['A', 'B'] }]);
  });

  it('is empty for two empty texts', () => {
    expect(lineBlocks('', '')).toEqual([]);
  });

  it('keeps a blank line as one line', () => {
    expect(lineBlocks('a\n\nb\n', 'a\n\nc\n')[0]).toEqual({ kind: 'same', lines: ['a', ''] });
  });

  it.each([
    ['a one-word edit', text(lines(8, 'P'), ['Say hello.'], lines(8, 'Q')), text(lines(8, 'P'), ['Say goodbye.'], lines(8, 'Q'))],
    ['lines added, removed and replaced', text(['a', 'b', 'c', 'd', 'e', 'f']), text(['a', 'B!', 'c', 'x', 'y', 'e', 'f', 'g'])],
    ['no newline at the end of either', 'one\ntwo\nthree', 'one\n2\nthree'],
    ['the last line replaced', 'keep\nold last', 'keep\nnew last\n'],
  ])('loses nothing: both texts rebuild from the blocks (%s)', (_what, before, after) => {
    const blocks = lineBlocks(before, after);
    expect(withoutFinalNewline(sideOf(blocks, 'before'))).toBe(withoutFinalNewline(before));
    expect(withoutFinalNewline(sideOf(blocks, 'after'))).toBe(withoutFinalNewline(after));
  });
});

describe('listChanges', () => {
  it('lists kept and removed items in their old order, then the added ones in their new order', () => {
    expect(listChanges(['lookup_account', 'lookup_invoice', 'issue_refund'], ['create_ticket', 'lookup_invoice', 'search_faq'])).toEqual([
      { item: 'lookup_account', kind: 'removed' },
      { item: 'lookup_invoice', kind: 'same' },
      { item: 'issue_refund', kind: 'removed' },
      { item: 'create_ticket', kind: 'added' },
      { item: 'search_faq', kind: 'added' },
    ]);
  });

  it('shows a reordered list as all kept', () => {
    expect(listChanges(['refund', 'triage'], ['triage', 'refund'])).toEqual([
      { item: 'refund', kind: 'same' },
      { item: 'triage', kind: 'same' },
    ]);
  });

  it('handles empty lists on either side', () => {
    expect(listChanges([], [])).toEqual([]);
    expect(listChanges([], ['faq'])).toEqual([{ item: 'faq', kind: 'added' }]);
    expect(listChanges(['faq'], [])).toEqual([{ item: 'faq', kind: 'removed' }]);
  });
});
