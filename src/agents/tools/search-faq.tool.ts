import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FaqEntryEntity } from '../../persistence/entities/faq-entry.entity';
import { faqSearchQuery } from './faq-search.query';
import { ToolArguments } from './tool-arguments';
import { BackendTool, ToolOutcome } from './tool.types';

const MAX_RESULTS = 3;

// Question and keywords weigh more than the answer text.
const FAQ_SEARCH_SQL = `
  SELECT question, answer, ts_rank(document, query) AS rank
  FROM (
    SELECT id, question, answer,
      setweight(to_tsvector('english', question), 'A')
        || setweight(to_tsvector('english', array_to_string(keywords, ' ')), 'A')
        || setweight(to_tsvector('english', answer), 'B') AS document
    FROM faq_entries
  ) entry, to_tsquery('english', $1) query
  WHERE document @@ query
  ORDER BY rank DESC, id ASC
  LIMIT ${MAX_RESULTS}`;

@Injectable()
export class SearchFaqTool implements BackendTool {
  readonly name = 'search_faq';
  readonly kind = 'lookup';
  readonly description =
    'Search the help center for answers about policies and how-tos: shipping times, international shipping, returns, refund policy and timing, order changes and cancellation, payment methods, warranty, tracking, damaged items, password reset, contact hours. Returns up to 3 matching entries; answer from them only.';
  readonly parameters = {
    type: 'object',
    properties: {
      query: { type: 'string', description: "The caller's question in a few keywords, e.g. 'refund policy' or 'international shipping'." },
    },
    required: ['query'],
  };

  constructor(@InjectRepository(FaqEntryEntity) private readonly entries: Repository<FaqEntryEntity>) {}

  async execute(args: Record<string, unknown>): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const query = input.requiredString('query', { maxLength: 500 });
    if (input.problem) return { result: input.problem };

    const tsquery = faqSearchQuery(query);
    const rows: { question: string; answer: string }[] = tsquery ? await this.entries.query(FAQ_SEARCH_SQL, [tsquery]) : [];
    if (rows.length === 0) {
      return {
        result: { results: [], error: 'no_match', message: 'No help article matches. Offer to create a ticket or transfer the caller.' },
      };
    }
    return { result: { results: rows.map(({ question, answer }) => ({ question, answer })) } };
  }
}
