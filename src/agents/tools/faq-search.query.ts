const MAX_TERMS = 16;

/**
 * A caller's question as an OR-ed Postgres tsquery ('refund | policy'): any shared word
 * matches and ts_rank orders by how much matches. Only [a-z0-9] survives, so the text can
 * never break the tsquery syntax. Stop words are dropped by Postgres itself.
 */
export function faqSearchQuery(query: string): string | undefined {
  const terms = [
    ...new Set(
      query
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((term) => term.length >= 2),
    ),
  ].slice(0, MAX_TERMS);
  return terms.length === 0 ? undefined : terms.join(' | ');
}
