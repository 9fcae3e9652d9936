import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallOutcome, ESCALATION_TRIGGERS, EscalationTrigger } from '../call-journal/call-event.types';
import { BROKEN_RESPONSE_MS, MEASURED_FROM_VALUES, SLOW_RESPONSE_MS } from './caller-turns.rules';

/** responseLatencyMs of the turns in one group: answered ones only in the percentiles and over-budget counts. */
export interface TurnLatencyFigures {
  answered: number;
  unanswered: number;
  p50: number | null;
  p95: number | null;
  overSlow: number;
  overBroken: number;
}

/** The width of one point of callsOverTime: an hour or a day, in UTC. */
export type TimeBucket = 'hour' | 'day';
export const TIME_BUCKETS: readonly TimeBucket[] = ['hour', 'day'];

export interface CallsInBucket {
  /** The bucket's start (UTC); the first bucket may start before the range does. */
  start: Date;
  calls: number;
  escalated: number;
}

export interface StatsFigures {
  outcomes: { outcome: CallOutcome; calls: number }[];
  averageDurationSeconds: number | null;
  handoffs: { from: string; to: string; count: number }[];
  departments: { department: string; averageSeconds: number; calls: number }[];
  refunds: { currency: string; count: number; totalCents: number }[];
  turnLatency: {
    /** null only if the database returned no overall row. */
    overall: TurnLatencyFigures | null;
    departments: ({ department: string } & TurnLatencyFigures)[];
    providers: ({ provider: string } & TurnLatencyFigures)[];
  };
  /** Every bucket that [from, to) touches, in order, empty ones included. */
  callsOverTime: { bucket: TimeBucket; buckets: CallsInBucket[] };
  escalationTriggers: EscalationTriggerCount[];
}

/** Escalations the service enforced (escalation.triggered events), by the rule that fired and what it did. */
export interface EscalationTriggerCount {
  trigger: EscalationTrigger;
  action: 'escalation-handoff' | 'human-transfer';
  count: number;
}

interface TurnLatencyRow extends TurnLatencyFigures {
  dimension: 'overall' | 'department' | 'provider';
  key: string | null;
}

// CASE, not AND: Postgres may evaluate AND's operands in any order, and casting a jsonb string to numeric fails.
const latency = (field: string) =>
  `CASE jsonb_typeof(e.payload->'${field}') WHEN 'null' THEN true WHEN 'number' THEN (e.payload->'${field}')::numeric >= 0 ELSE false END`;

/** The turn events turnsOf (caller-turns.rules.ts) keeps, tested the same way, so /stats counts the turns GET /calls/:id lists. */
const WELL_FORMED_TURN = [
  `jsonb_typeof(e.payload->'turn') = 'number'`,
  `jsonb_typeof(e.payload->'department') = 'string'`,
  `e.payload->>'department' <> ''`,
  `jsonb_typeof(e.payload->'provider') = 'string'`,
  `e.payload->>'provider' <> ''`,
  `jsonb_typeof(e.payload->'callerStoppedAt') = 'string'`,
  `e.payload->>'measuredFrom' IN (${MEASURED_FROM_VALUES.map((value) => `'${value}'`).join(', ')})`,
  latency('responseLatencyMs'),
  latency('answerLatencyMs'),
  `jsonb_typeof(e.payload->'tools') = 'array'`,
  `jsonb_typeof(e.payload->'handoffs') = 'array'`,
].join(' AND ');

/** Aggregates over finished calls started in [from, to), straight from SQL. */
@Injectable()
export class CallStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async figures(from: Date, to: Date, bucket: TimeBucket): Promise<StatsFigures> {
    const range = [from, to];
    const [outcomes, overall, handoffs, departments, refunds, turnLatency, callsOverTime, escalationTriggers] = await Promise.all([
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
      this.turnLatency(from, to),
      this.callsOverTime(from, to, bucket),
      this.escalationTriggers(from, to),
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
      turnLatency,
      callsOverTime: { bucket, buckets: callsOverTime },
      escalationTriggers,
    };
  }

  private escalationTriggers(from: Date, to: Date): Promise<EscalationTriggerCount[]> {
    return this.dataSource.query(
      `SELECT e.payload->>'trigger' AS trigger, e.payload->>'action' AS action, count(*)::int AS count
       FROM calls c
       JOIN call_events e ON e.call_id = c.id AND e.type = 'escalation.triggered'
       WHERE c.started_at >= $1 AND c.started_at < $2
         AND e.payload->>'trigger' = ANY($3) AND e.payload->>'action' IN ('escalation-handoff', 'human-transfer')
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to, [...ESCALATION_TRIGGERS]],
    );
  }

  // In UTC whatever the session's time zone: timestamps without zone, truncated and stepped, then read back as UTC.
  private async callsOverTime(from: Date, to: Date, bucket: TimeBucket): Promise<CallsInBucket[]> {
    return this.dataSource.query(
      `WITH bounds AS (
         SELECT $1::timestamptz AT TIME ZONE 'UTC' AS from_utc, $2::timestamptz AT TIME ZONE 'UTC' AS to_utc
       ), buckets AS (
         SELECT generate_series(date_trunc($3, from_utc), to_utc, $4::interval) AS start FROM bounds
       ), counts AS (
         SELECT date_trunc($3, started_at AT TIME ZONE 'UTC') AS start,
           count(*)::int AS calls,
           count(*) FILTER (WHERE outcome = 'escalated')::int AS escalated
         FROM calls WHERE started_at >= $1 AND started_at < $2
         GROUP BY 1
       )
       SELECT b.start AT TIME ZONE 'UTC' AS start, COALESCE(c.calls, 0) AS calls, COALESCE(c.escalated, 0) AS escalated
       FROM buckets b CROSS JOIN bounds r LEFT JOIN counts c ON c.start = b.start
       WHERE b.start < r.to_utc
       ORDER BY b.start`,
      [from, to, bucket, `1 ${bucket}`],
    );
  }

  // call_events_turns_idx (call_id WHERE type = 'turn') takes each call of the range straight to its turns.
  private async turnLatency(from: Date, to: Date): Promise<StatsFigures['turnLatency']> {
    const rows: TurnLatencyRow[] = await this.dataSource.query(
      `WITH turns AS (
         SELECT e.payload->>'department' AS department, e.payload->>'provider' AS provider,
           CASE WHEN jsonb_typeof(e.payload->'responseLatencyMs') = 'number' THEN (e.payload->'responseLatencyMs')::float8 END AS latency_ms
         FROM calls c
         JOIN call_events e ON e.call_id = c.id AND e.type = 'turn'
         WHERE c.started_at >= $1 AND c.started_at < $2 AND ${WELL_FORMED_TURN}
       )
       SELECT CASE GROUPING(department, provider) WHEN 3 THEN 'overall' WHEN 1 THEN 'department' ELSE 'provider' END AS dimension,
         COALESCE(department, provider) AS key,
         count(latency_ms)::int AS answered,
         (count(*) - count(latency_ms))::int AS unanswered,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
         count(*) FILTER (WHERE latency_ms > $3)::int AS "overSlow",
         count(*) FILTER (WHERE latency_ms > $4)::int AS "overBroken"
       FROM turns
       GROUP BY GROUPING SETS ((), (department), (provider))
       ORDER BY dimension, key`,
      [from, to, SLOW_RESPONSE_MS, BROKEN_RESPONSE_MS],
    );
    const figures = ({ answered, unanswered, p50, p95, overSlow, overBroken }: TurnLatencyRow): TurnLatencyFigures => ({
      answered,
      unanswered,
      p50,
      p95,
      overSlow,
      overBroken,
    });
    const overall = rows.find((row) => row.dimension === 'overall');
    return {
      overall: overall ? figures(overall) : null,
      departments: rows.filter((row) => row.dimension === 'department').map((row) => ({ department: row.key!, ...figures(row) })),
      providers: rows.filter((row) => row.dimension === 'provider').map((row) => ({ provider: row.key!, ...figures(row) })),
    };
  }
}
