import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HandoffEntity } from '../../persistence/entities/handoff.entity';
import { HandoffLogEntry, HandoffStatus } from '../handoff.types';

export interface HandoffLogFilter {
  callId?: string;
  from?: string;
  to?: string;
  /** Either side of the handoff. */
  department?: string;
  status?: HandoffStatus;
  since?: Date;
  until?: Date;
}

function toEntry(row: HandoffEntity): HandoffLogEntry {
  return {
    id: row.id,
    callId: row.callId,
    fromAgent: row.fromAgent,
    toAgent: row.toAgent,
    reason: row.reason,
    summary: row.summary,
    status: row.status as HandoffStatus,
    code: row.code,
    requestedAt: row.requestedAt.toISOString(),
    appliedAt: row.appliedAt?.toISOString() ?? null,
    latencyMs: row.latencyMs,
    fromVersion: row.fromVersion,
    toVersion: row.toVersion,
  };
}

/** Postgres access for the handoff log: the one place `handoffs` rows become HandoffLogEntry. */
@Injectable()
export class HandoffLogRepository {
  constructor(@InjectRepository(HandoffEntity) private readonly rows: Repository<HandoffEntity>) {}

  /** Idempotent: a handoff already stored (a retried job) is left as it is. */
  async insert(entry: HandoffLogEntry): Promise<void> {
    await this.rows.query(
      `INSERT INTO handoffs (id, call_id, from_agent, to_agent, reason, summary, status, code, requested_at, applied_at, latency_ms, from_version, to_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING`,
      [
        entry.id,
        entry.callId,
        entry.fromAgent,
        entry.toAgent,
        entry.reason,
        entry.summary,
        entry.status,
        entry.code,
        entry.requestedAt,
        entry.appliedAt,
        entry.latencyMs,
        entry.fromVersion,
        entry.toVersion,
      ],
    );
  }

  /** One call's handoffs in the order they were asked for. */
  async ofCall(callId: string): Promise<HandoffLogEntry[]> {
    const rows = await this.rows.find({ where: { callId }, order: { requestedAt: 'ASC', id: 'ASC' } });
    return rows.map(toEntry);
  }

  /** Newest first. */
  async find(filter: HandoffLogFilter, offset: number, limit: number): Promise<{ items: HandoffLogEntry[]; total: number }> {
    const query = this.rows.createQueryBuilder('h');
    if (filter.callId !== undefined) query.andWhere('h.call_id = :callId', { callId: filter.callId });
    if (filter.from !== undefined) query.andWhere('h.from_agent = :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('h.to_agent = :to', { to: filter.to });
    if (filter.department !== undefined)
      query.andWhere('(h.from_agent = :department OR h.to_agent = :department)', { department: filter.department });
    if (filter.status !== undefined) query.andWhere('h.status = :status', { status: filter.status });
    if (filter.since !== undefined) query.andWhere('h.requested_at >= :since', { since: filter.since });
    if (filter.until !== undefined) query.andWhere('h.requested_at <= :until', { until: filter.until });
    const [rows, total] = await query
      .orderBy('h.requested_at', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items: rows.map(toEntry), total };
  }
}
