import { diffLines, diffWords } from 'diff';

export interface Piece {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export type Block = { kind: 'same' | 'added' | 'removed'; lines: string[] } | { kind: 'changed'; pieces: Piece[] };

const kindOf = (change: { added: boolean; removed: boolean }): Piece['kind'] =>
  change.added ? 'added' : change.removed ? 'removed' : 'same';

export function wordPieces(before: string, after: string): Piece[] {
  return diffWords(before, after).map((change) => ({ kind: kindOf(change), text: change.value }));
}

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A line diff for long texts such as prompts; where lines were replaced, the words that changed
 * inside them, so a one-word edit in a long paragraph does not read as a whole new paragraph.
 */
export function lineBlocks(before: string, after: string): Block[] {
  // A prompt that gains a paragraph at its end gains a newline on its old last line: not a change to show.
  const changes = diffLines(before, after, { ignoreNewlineAtEof: true });
  const blocks: Block[] = [];
  for (let index = 0; index < changes.length; index++) {
    const change = changes[index];
    const next = changes[index + 1];
    if (change.removed && next?.added) {
      blocks.push({ kind: 'changed', pieces: wordPieces(change.value, next.value) });
      index++;
    } else {
      blocks.push({ kind: kindOf(change), lines: splitLines(change.value) });
    }
  }
  return blocks;
}

/** Items of two lists: kept, added, removed (in the order they appear). */
export function listChanges(before: readonly string[], after: readonly string[]): { item: string; kind: Piece['kind'] }[] {
  return [
    ...before.map((item) => ({ item, kind: after.includes(item) ? ('same' as const) : ('removed' as const) })),
    ...after.filter((item) => !before.includes(item)).map((item) => ({ item, kind: 'added' as const })),
  ];
}
