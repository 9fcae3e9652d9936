import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../../operations/metrics.service';
import { FactsPatch, factsKeptOnError, KnownFacts } from './known-facts';
import { toolError } from './tool-arguments';
import { ToolRegistry } from './tool.registry';
import { ToolOutcome, ToolResult } from './tool.types';
import { describeError, fieldLogger } from '../../common/field-logger';

export interface ToolRunContext {
  callId: string;
  facts: Readonly<KnownFacts>;
}

export interface ToolRun {
  result: ToolResult;
  facts?: FactsPatch;
  /** false when the result carries an error code (its facts are then only a failed attempt, if any). */
  ok: boolean;
  durationMs: number;
}

const TIMED_OUT = Symbol('timed out');

/** Runs one backend tool call: never throws, never outlives its timeout, always answers a JSON object. */
@Injectable()
export class ToolRunner {
  private readonly logger = fieldLogger(new Logger(ToolRunner.name));

  constructor(
    private readonly registry: ToolRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async run(name: string, args: Record<string, unknown>, context: ToolRunContext, timeoutMs: number): Promise<ToolRun> {
    const started = performance.now();
    const tool = this.registry.get(name);
    if (!tool) {
      // The model chose the name: keep it out of metric labels.
      this.metrics.toolCalls.inc({ tool: 'unknown', result: 'unknown_tool' });
      return {
        result: toolError('unknown_tool', `There is no tool named ${name}.`, { tool: name }),
        ok: false,
        durationMs: performance.now() - started,
      };
    }

    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        resolve(TIMED_OUT);
      }, timeoutMs);
    });
    let outcome: ToolOutcome;
    try {
      const execution = Promise.resolve().then(() =>
        tool.execute(args, { callId: context.callId, facts: context.facts, signal: controller.signal }),
      );
      // The race already handles a late rejection; it is only worth a log line.
      execution.catch((error: unknown) => {
        if (timedOut)
          this.logger.warn('Tool failed after its timeout', { callSid: context.callId, tool: name, error: describeError(error) });
      });
      const settled = await Promise.race([execution, timeout]);
      outcome =
        settled === TIMED_OUT
          ? { result: toolError('tool_timeout', `${name} did not answer within ${timeoutMs} ms.`, { tool: name, timeout_ms: timeoutMs }) }
          : validOutcome(name, settled);
    } catch (error) {
      this.logger.error('Tool failed', {
        callSid: context.callId,
        tool: name,
        error: describeError(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      // Internal details (SQL, stack) stay in the log, not in what the model reads.
      outcome = {
        result: toolError('tool_failed', `${name} failed unexpectedly; apologise and offer a ticket or a human.`, { tool: name }),
      };
    } finally {
      clearTimeout(timer);
    }

    const durationMs = performance.now() - started;
    const errorCode = typeof outcome.result.error === 'string' ? outcome.result.error : undefined;
    this.metrics.toolFinished(name, errorCode ? metricLabel(errorCode) : 'ok', durationMs / 1000);
    return {
      result: outcome.result,
      facts: errorCode ? factsKeptOnError(outcome.facts) : outcome.facts,
      ok: errorCode === undefined,
      durationMs,
    };
  }
}

function validOutcome(name: string, outcome: ToolOutcome): ToolOutcome {
  const result: unknown = outcome?.result;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new Error(`${name} returned no JSON object`);
  }
  return outcome;
}

function metricLabel(code: string): string {
  return /^[a-z_]{1,40}$/.test(code) ? code : 'error';
}
