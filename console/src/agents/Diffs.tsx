import { Fragment, ReactNode, useState } from 'react';
import { Block, lineBlocks, listChanges, Piece, wordPieces } from './textDiff';

/** Unchanged lines kept around a change; longer unchanged stretches fold. */
const CONTEXT_LINES = 2;

function Hidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

function Pieces({ pieces }: { pieces: Piece[] }) {
  return (
    <>
      {pieces.map((piece, index) =>
        piece.kind === 'added' ? (
          <ins key={index}>{piece.text}</ins>
        ) : piece.kind === 'removed' ? (
          <del key={index}>{piece.text}</del>
        ) : (
          <Fragment key={index}>{piece.text}</Fragment>
        ),
      )}
    </>
  );
}

function SameLines({ lines, first, last, expanded }: { lines: string[]; first: boolean; last: boolean; expanded: boolean }) {
  const head = first ? 0 : CONTEXT_LINES;
  const tail = last ? 0 : CONTEXT_LINES;
  if (expanded || lines.length <= head + tail + 1) return <div className="diff-block same">{lines.join('\n')}</div>;
  const folded = lines.length - head - tail;
  return (
    <>
      {head > 0 && <div className="diff-block same">{lines.slice(0, head).join('\n')}</div>}
      <div className="diff-fold">
        … {folded} unchanged {folded === 1 ? 'line' : 'lines'} …
      </div>
      {tail > 0 && <div className="diff-block same">{lines.slice(lines.length - tail).join('\n')}</div>}
    </>
  );
}

function BlockView({ block, first, last, expanded }: { block: Block; first: boolean; last: boolean; expanded: boolean }) {
  switch (block.kind) {
    case 'same':
      return <SameLines lines={block.lines} first={first} last={last} expanded={expanded} />;
    case 'added':
      return (
        <ins className="diff-block added">
          <Hidden>Added: </Hidden>
          {block.lines.join('\n')}
        </ins>
      );
    case 'removed':
      return (
        <del className="diff-block removed">
          <Hidden>Removed: </Hidden>
          {block.lines.join('\n')}
        </del>
      );
    case 'changed':
      return (
        <div className="diff-block changed">
          <Hidden>Changed: </Hidden>
          <Pieces pieces={block.pieces} />
        </div>
      );
  }
}

/** A long text's changes, line by line (jsdiff diffLines), words marked inside replaced lines. */
export function LinesDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const [expanded, setExpanded] = useState(false);
  const blocks = lineBlocks(before, after);
  if (blocks.every((block) => block.kind === 'same')) return <p className="muted">Only line endings or whitespace at the end changed.</p>;
  const folds = blocks.some((block) => block.kind === 'same' && block.lines.length > 2 * CONTEXT_LINES + 1);
  return (
    <div>
      {folds && (
        <label className="check inline-check">
          <input type="checkbox" checked={expanded} onChange={(event) => setExpanded(event.target.checked)} /> Show unchanged lines
        </label>
      )}
      <div className="diff text-diff" role="group" aria-label={label}>
        {blocks.map((block, index) => (
          <BlockView key={index} block={block} first={index === 0} last={index === blocks.length - 1} expanded={expanded} />
        ))}
      </div>
    </div>
  );
}

/** A short text's changes word by word (jsdiff diffWords). */
export function WordsDiff({ before, after, label }: { before: string; after: string; label: string }) {
  return (
    <p className="diff words-diff" role="group" aria-label={label}>
      <Pieces pieces={wordPieces(before, after)} />
    </p>
  );
}

/** Before and after of a list, each item marked kept, added or removed. */
export function ListDiff({
  before,
  after,
  describe,
}: {
  before: readonly string[];
  after: readonly string[];
  describe?: (item: string) => string;
}) {
  const changes = listChanges(before, after);
  const name = (item: string) => (describe ? describe(item) : item);
  const column = (title: string, kinds: Piece['kind'][]) => {
    const items = changes.filter((change) => kinds.includes(change.kind));
    return (
      <div>
        <h5>{title}</h5>
        {items.length === 0 ? (
          <p className="muted">(none)</p>
        ) : (
          <ul className="diff-list">
            {items.map(({ item, kind }) => (
              <li key={item} className={kind}>
                {kind === 'added' ? <ins>{name(item)}</ins> : kind === 'removed' ? <del>{name(item)}</del> : name(item)}
                {kind !== 'same' && <span className={kind === 'added' ? 'badge good' : 'badge bad'}>{kind}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };
  return (
    <div className="before-after">
      {column('Before', ['same', 'removed'])}
      {column('After', ['same', 'added'])}
    </div>
  );
}

/** Before and after of a single value (the voice, the display name). */
export function ValueDiff({ before, after }: { before: string; after: string }) {
  return (
    <p className="value-diff">
      <del>{before}</del> <span aria-hidden="true">→</span>
      <Hidden> changed to </Hidden> <ins>{after}</ins>
    </p>
  );
}
