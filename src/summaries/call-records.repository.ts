import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { CallEventEntity } from '../persistence/entities/call-event.entity';
import { CallSummaryEntity } from '../persistence/entities/call-summary.entity';
import { CallEntity } from '../persistence/entities/call.entity';
import { CallSummary } from './call-summary.types';

const EVENT_INSERT_CHUNK = 500;

export interface CallRecord {
  call: Omit<CallEntity, 'createdAt'>;
  events: Pick<CallEventEntity, 'seq' | 'at' | 'type' | 'payload'>[];
  summary: CallSummary;
  narrative: string | null;
}

export interface CallListFilter {
  callSid?: string;
  from?: Date;
  to?: Date;
  department?: string;
  outcome?: string;
  offset: number;
  limit: number;
}

/** Finished calls in Postgres: the post-call job's one-transaction write and the supervisor reads. */
@Injectable()
export class CallRecordsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(CallEntity) private readonly calls: Repository<CallEntity>,
    @InjectRepository(CallEventEntity) private readonly events: Repository<CallEventEntity>,
    @InjectRepository(CallSummaryEntity) private readonly summaries: Repository<CallSummaryEntity>,
  ) {}

  async storedSummary(callSid: string): Promise<{ summary: CallSummary; callerHash: string | null; revision: number } | null> {
    const rows: { summary: CallSummary; caller_hash: string | null; revision: number }[] = await this.dataSource.query(
      'SELECT s.summary, c.caller_hash, c.revision FROM call_summaries s JOIN calls c ON c.id = s.call_id WHERE s.call_id = $1',
      [callSid],
    );
    return rows[0] ? { summary: rows[0].summary, callerHash: rows[0].caller_hash, revision: Number(rows[0].revision) } : null;
  }

  /**
   * Call, events and summary in one transaction; true when the summary was written now (not
   * before). A record of a higher revision replaces an older one whole.
   */
  async write(record: CallRecord): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (record.call.revision > 0)
        await manager.query('DELETE FROM calls WHERE id = $1 AND revision < $2', [record.call.id, record.call.revision]);
      await manager.createQueryBuilder().insert().into(CallEntity).values(record.call).orIgnore().execute();
      for (let start = 0; start < record.events.length; start += EVENT_INSERT_CHUNK) {
        // The JSON payload is a plain object; TypeORM's deep-partial typing cannot express that.
        const chunk = record.events
          .slice(start, start + EVENT_INSERT_CHUNK)
          .map((event) => ({ ...event, callId: record.call.id }) as QueryDeepPartialEntity<CallEventEntity>);
        await manager.createQueryBuilder().insert().into(CallEventEntity).values(chunk).orIgnore().execute();
      }
      const inserted: unknown[] = await manager.query(
        'INSERT INTO call_summaries (call_id, summary, narrative) VALUES ($1, $2, $3) ON CONFLICT (call_id) DO NOTHING RETURNING call_id',
        [record.call.id, JSON.stringify(record.summary), record.narrative],
      );
      return inserted.length > 0;
    });
  }

  async list(filter: CallListFilter): Promise<{ items: CallEntity[]; total: number }> {
    const query = this.calls.createQueryBuilder('call');
    if (filter.callSid) query.andWhere('call.id = :callSid', { callSid: filter.callSid });
    if (filter.from) query.andWhere('call.startedAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('call.startedAt < :to', { to: filter.to });
    if (filter.department) query.andWhere(':department = ANY(call.departments)', { department: filter.department });
    if (filter.outcome) query.andWhere('call.outcome = :outcome', { outcome: filter.outcome });
    const [items, total] = await query
      .orderBy('call.startedAt', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
    return { items, total };
  }

  /** Whether the call has been stored (it has ended and its post-call job ran). */
  async isStored(callSid: string): Promise<boolean> {
    return (await this.calls.countBy({ id: callSid })) > 0;
  }

  async find(callSid: string): Promise<{ call: CallEntity; events: CallEventEntity[]; summary: CallSummaryEntity | null } | null> {
    const call = await this.calls.findOneBy({ id: callSid });
    if (!call) return null;
    const [events, summary] = await Promise.all([
      this.events.find({ where: { callId: callSid }, order: { seq: 'ASC' } }),
      this.summaries.findOneBy({ callId: callSid }),
    ]);
    return { call, events, summary };
  }
}
