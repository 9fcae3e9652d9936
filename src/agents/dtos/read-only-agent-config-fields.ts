import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';

const IGNORED = 'Read-only: accepted so a body from GET can be sent back, and ignored';

/**
 * The fields GET /agents/:key (and a version history item) carry that no write can set. A write
 * accepts and ignores them rather than refusing the representation GET returned.
 */
export abstract class ReadOnlyAgentConfigFields {
  @ApiPropertyOptional({ type: String, description: `${IGNORED} (the path names the agent)` })
  @Allow()
  key?: unknown;

  @ApiPropertyOptional({ type: Number, description: `${IGNORED}; to write only over a known version, send If-Match` })
  @Allow()
  version?: unknown;

  @ApiPropertyOptional({ type: String, description: IGNORED })
  @Allow()
  author?: unknown;

  @ApiPropertyOptional({ type: String, description: IGNORED })
  @Allow()
  updatedAt?: unknown;

  @ApiPropertyOptional({ type: String, description: `${IGNORED} (version history items)` })
  @Allow()
  createdAt?: unknown;

  @ApiPropertyOptional({ type: Boolean, description: `${IGNORED} (version history items)` })
  @Allow()
  current?: unknown;
}
