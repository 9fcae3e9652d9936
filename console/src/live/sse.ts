/** One server-sent event, as the HTML spec's event-stream interpretation dispatches it. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Parses a text/event-stream fed in arbitrary chunks: a line, a CRLF pair or a multi-byte
 * character may be split across two reads. Comments (": keep-alive") dispatch nothing but are
 * counted, so a reader can tell a quiet stream from a dead one. Pure: no I/O, no timers.
 */
export class ServerSentEventParser {
  private buffer = '';
  private lastWasCarriageReturn = false;
  private eventType = '';
  private data: string[] = [];
  private id: string | undefined;
  private readonly decoder = new TextDecoder();
  /** Lines read so far, comments included. */
  lines = 0;

  /** Bytes from the network (decoded with the stream's state kept) or text already decoded. */
  push(chunk: Uint8Array | string): ServerSentEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text === '') return [];
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index];
      if (char !== '\r' && char !== '\n') continue;
      if (char === '\n' && index === 0 && this.lastWasCarriageReturn) {
        // The LF of a CRLF whose CR ended the previous chunk.
        this.lastWasCarriageReturn = false;
        start = 1;
        continue;
      }
      const line = this.buffer + text.slice(start, index);
      this.buffer = '';
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      start = index + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.lastWasCarriageReturn = text.endsWith('\r');
    this.buffer += text.slice(start);
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    this.lines += 1;
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      default:
        // retry and unknown fields: the reader has its own backoff.
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const hadData = this.data.length > 0;
    const event: ServerSentEvent = { event: this.eventType || 'message', data: this.data.join('\n'), ...(this.id ? { id: this.id } : {}) };
    this.eventType = '';
    this.data = [];
    return hadData ? event : undefined;
  }
}
