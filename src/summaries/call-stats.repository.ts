import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallOutcome } from '../call-journal/call-event.types';

export interface StatsFigures {
  outcomes: { outcome: CallOutcome; calls: number }[];
  averageDurationSeconds: number | null;
  handoffs: { from: string; to: string; count: number }[];
  departments: { department: string; averageSeconds: number; calls: number }[];
  refunds: { currency: string; count: number; totalCents: number }[];
}

/** Aggregates over finished calls started in [from, to), straight from SQL. */
@Injectable()
export class CallStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async figures(from: Date, to: Date): Promise<StatsFigures> {
    const range = [from, to];
    const [outcomes, overall, handoffs, departments, refunds] = await Promise.all([
      this.dataSource.query(
        `SELECT outcome, count(*)::int AS calls FROM calls WHERE started_at >= $1 AND started_at < $2 GROUP BY outcome`,
        range,
      ),
      this.dataSource.query(`SELECT avg(duration_seconds)::float AS average FROM calls WHERE started_at >= $1 AND started_at < $2`, range),
      this.dataSource.query(
        `SELECT h.from_agent AS "from", h.to_agent AS "to", count(*)::int AS count
         FROM handoffs h JOIN calls c ON c.id = h.call_id
         WHERE c.started_at >= $1 AND c.started_at < $2 AND h.status = 'applied'
         GROUP BY h.from_agent, h.to_agent ORDER BY count DESC, "from", "to"`,
        range,
      ),
      // Time in a department: from entering it to entering the next one (or the end of the call).
      this.dataSource.query(
        `WITH visits AS (
           SELECT c.id, v.value->>'department' AS department, (v.value->>'enteredAt')::timestamptz AS entered_at, v.position, c.ended_at
           FROM calls c
           JOIN call_summaries s ON s.call_id = c.id
           CROSS JOIN LATERAL jsonb_array_elements(s.summary->'departmentsPath') WITH ORDINALITY AS v(value, position)
           WHERE c.started_at >= $1 AND c.started_at < $2
         ), spans AS (
           SELECT id, department,
             GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(LEAD(entered_at) OVER (PARTITION BY id ORDER BY position), ended_at) - entered_at))) AS seconds
           FROM visits
         ), per_call AS (
           SELECT id, department, sum(seconds) AS seconds FROM spans GROUP BY id, department
         )
         SELECT department, avg(seconds)::float AS "averageSeconds", count(*)::int AS calls FROM per_call GROUP BY department ORDER BY department`,
        range,
      ),
      this.dataSource.query(
        `SELECT currency, count(*)::int AS count, sum(amount_cents)::bigint AS total_cents FROM refunds WHERE created_at >= $1 AND created_at < $2 GROUP BY currency ORDER BY currency`,
        range,
      ),
    ]);
    return {
      outcomes,
      averageDurationSeconds: overall[0]?.average ?? null,
      handoffs,
      departments,
      refunds: refunds.map((row: { currency: string; count: number; total_cents: string }) => ({
        currency: row.currency,
        count: row.count,
        totalCents: Number(row.total_cents),
      })),
    };
  }
}
