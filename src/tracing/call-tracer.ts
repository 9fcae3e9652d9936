import { Injectable } from '@nestjs/common';
import {
  context,
  Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { safeTraceAttributes, safeTraceString, TraceAttributes } from './trace-attributes';

export const TRACER_NAME = 'contact-center-voice-agents';

export interface SpanHandle {
  /** 32-hex trace id while the span records; undefined while tracing is off. For log lines. */
  readonly traceId: string | undefined;
  setAttributes(attributes: TraceAttributes): void;
  /** Marks the span failed (status ERROR) with a bounded code. */
  fail(code: string): void;
  /** endTime in epoch ms; now when omitted. Idempotent. */
  end(endTime?: number): void;
}

export interface CallTrace extends SpanHandle {
  /** 32-hex trace id while a real (recording) span exists; undefined while tracing is off. */
  readonly traceId: string | undefined;
  /** W3C traceparent header value of the call span; undefined while tracing is off. */
  readonly traceparent: string | undefined;
  /** A child span of the call span (or of `parent`), with explicit times (spans may be written after the fact). startTime/endTime epoch ms. */
  child(name: string, options: { startTime: number; attributes?: TraceAttributes; parent?: SpanHandle }): SpanHandle;
}

// Always W3C, whatever OTEL_PROPAGATORS says: the traceparent travels inside our own job payloads.
const w3c = new W3CTraceContextPropagator();

class OpenSpan implements SpanHandle {
  private ended = false;
  private failed = false;

  readonly traceId: string | undefined;

  constructor(readonly span: Span) {
    const spanContext = span.spanContext();
    this.traceId = span.isRecording() && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  setAttributes(attributes: TraceAttributes): void {
    if (this.ended || !this.span.isRecording()) return;
    this.span.setAttributes(safeTraceAttributes(attributes));
  }

  fail(code: string): void {
    if (this.ended) return;
    this.failed = true;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: safeTraceString(code) ?? 'error' });
  }

  end(endTime?: number): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end(endTime);
  }
}

class OpenCallTrace extends OpenSpan implements CallTrace {
  readonly traceparent: string | undefined;

  constructor(span: Span) {
    super(span);
    this.traceparent = traceparentOf(span);
  }

  child(name: string, options: { startTime: number; attributes?: TraceAttributes; parent?: SpanHandle }): SpanHandle {
    const parent = options.parent instanceof OpenSpan ? options.parent.span : this.span;
    return new OpenSpan(startSpan(name, options.attributes ?? {}, trace.setSpan(ROOT_CONTEXT, parent), options.startTime));
  }
}

/** Opens the spans of calls and of the work after them, through the global OpenTelemetry API (a no-op until an SDK is registered). */
@Injectable()
export class CallTracer {
  /** The root span of one call ("call"), attributes call.sid etc. startTime: epoch ms. */
  startCall(attributes: TraceAttributes, startTime: number): CallTrace {
    return new OpenCallTrace(startSpan('call', attributes, ROOT_CONTEXT, startTime));
  }

  /**
   * Runs work inside a span that joins the call's trace named by traceparent (a new root when it is absent or malformed),
   * e.g. the post-call summary job; ends the span when work settles, failing it (and rethrowing) when work throws.
   */
  async inCallTrace<T>(
    traceparent: string | undefined,
    name: string,
    attributes: TraceAttributes,
    work: (span: SpanHandle) => Promise<T>,
  ): Promise<T> {
    const parent = contextOfTraceparent(traceparent);
    const span = new OpenSpan(startSpan(name, attributes, parent));
    try {
      const result = await context.with(trace.setSpan(parent, span.span), () => work(span));
      span.end();
      return result;
    } catch (error) {
      if (!span.hasFailed) span.fail(failureCode(error));
      span.end();
      throw error;
    }
  }
}

function startSpan(name: string, attributes: TraceAttributes, parent: Context, startTime?: number): Span {
  return trace.getTracer(TRACER_NAME).startSpan(name, { attributes: safeTraceAttributes(attributes), startTime }, parent);
}

function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

function contextOfTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  const extracted = w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
  const spanContext = trace.getSpanContext(extracted);
  return spanContext && isSpanContextValid(spanContext) ? extracted : ROOT_CONTEXT;
}

/** An error's code or class name, never its message: messages can quote what the caller said. */
export function failureCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return (typeof code === 'string' && safeTraceString(code)) || safeTraceString(error.name) || 'error';
  }
  return 'error';
}
