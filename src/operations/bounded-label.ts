/** What every value past a label's limit is reported as. */
export const OTHER_LABEL_VALUE = 'other';

const MAX_LABEL_LENGTH = 64;

export interface BoundedLabelOptions {
  /** How many distinct values, beyond the allowed ones, get their own series. */
  limit: number;
  /** Values that always get their own series, whatever the limit. */
  allowed?: readonly string[];
}

/**
 * Keeps one Prometheus label's values to a bounded set: each new series costs memory here and in
 * Prometheus for as long as the process lives, and these values come from admin-edited configs
 * or from a remote peer. The first `limit` distinct values are kept; later new ones become `other`.
 */
export class BoundedLabel {
  private readonly allowed: ReadonlySet<string>;
  private readonly seen = new Set<string>();
  private readonly limit: number;

  constructor({ limit, allowed = [] }: BoundedLabelOptions) {
    this.limit = limit;
    this.allowed = new Set(allowed.map(normaliseLabelValue));
  }

  of(value: string): string {
    const normalised = normaliseLabelValue(value);
    if (this.allowed.has(normalised) || this.seen.has(normalised)) return normalised;
    if (this.seen.size >= this.limit) return OTHER_LABEL_VALUE;
    this.seen.add(normalised);
    return normalised;
  }
}

/** Lowercase `[a-z0-9_.:-]`, other characters as `_`, at most 64 characters; nothing left becomes `other`. */
export function normaliseLabelValue(value: string): string {
  const normalised = String(value)
    .slice(0, MAX_LABEL_LENGTH)
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]/g, '_')
    .slice(0, MAX_LABEL_LENGTH);
  return normalised.length > 0 ? normalised : OTHER_LABEL_VALUE;
}
