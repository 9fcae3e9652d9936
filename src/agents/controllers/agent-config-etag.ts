import { VersionPrecondition } from '../services/version-precondition';

/**
 * A strong entity tag naming the stored version. Strong because If-Match compares strongly (RFC 9110
 * 13.1.1): a weak tag could never satisfy it. A version's content never changes once stored.
 */
export function agentConfigETag(version: number): string {
  return `"v${version}"`;
}

export type IfMatch = { kind: 'absent' } | { kind: 'malformed' } | { kind: 'precondition'; precondition: VersionPrecondition };

// One element of an entity-tag list: an optional weakness mark, a quoted opaque tag, then a comma or
// the end; or an empty element (lists may have them).
const LIST_ELEMENT = /[ \t]*(?:(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(?:,|$)|,)/y;
const OUR_TAG = /^v([1-9][0-9]{0,9})$/;

/**
 * The If-Match header as a version precondition. `*` asks only that the agent exists. Tags that are
 * not ours match nothing. A weak tag (W/"v3") counts as its version: a compressing proxy may weaken the
 * tags it forwards, and the version alone decides whether a write is over the current config.
 */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return { kind: 'absent' };
  const list = header.trim();
  if (list === '*') return { kind: 'precondition', precondition: { kind: 'exists' } };
  const opaqueTags: string[] = [];
  const listElement = new RegExp(LIST_ELEMENT);
  while (listElement.lastIndex < list.length) {
    const element = listElement.exec(list);
    if (!element) return { kind: 'malformed' };
    if (element[1] !== undefined) opaqueTags.push(element[1]);
  }
  if (opaqueTags.length === 0) return { kind: 'malformed' };
  const versions = opaqueTags.flatMap((tag) => {
    const ours = OUR_TAG.exec(tag);
    return ours ? [Number(ours[1])] : [];
  });
  return { kind: 'precondition', precondition: { kind: 'one-of', versions } };
}
