import { ServerSentEvent, ServerSentEventParser } from './sse';

const encoder = new TextEncoder();

function parseAll(chunks: (Uint8Array | string)[]): { events: ServerSentEvent[]; lines: number } {
  const parser = new ServerSentEventParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, lines: parser.lines };
}

/** The stream as bytes cut at the given offsets (which may fall inside a character or a CRLF). */
function bytesCutAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const bounds = [0, ...cuts, bytes.length];
  return bounds.slice(1).map((end, index) => bytes.slice(bounds[index], end));
}

/** The stream as strings cut at the given offsets (which may fall inside a CRLF or a surrogate pair). */
function textCutAt(text: string, cuts: number[]): string[] {
  const bounds = [0, ...cuts, text.length];
  return bounds.slice(1).map((end, index) => text.slice(bounds[index], end));
}

// CRLF, LF and CR line ends; a comment; a two-line data; 2-, 3- and 4-byte UTF-8 characters.
const STREAM =
  ': keep-alive\r\n' +
  '\r\n' +
  'event: live-calls\r\n' +
  'data: {"caller":"Zoë","price":"€5"}\r\n' +
  '\r\n' +
  'data: first line\n' +
  'data: second 😀\n' +
  '\n' +
  'id: 7\r' +
  'data: last\r' +
  '\r';

const EXPECTED: ServerSentEvent[] = [
  { event: 'live-calls', data: '{"caller":"Zoë","price":"€5"}' },
  { event: 'message', data: 'first line\nsecond 😀' },
  { event: 'message', data: 'last', id: '7' },
];

const EXPECTED_LINES = 11;

describe('ServerSentEventParser', () => {
  it('reads a whole stream pushed at once, as text or as bytes', () => {
    expect(parseAll([STREAM])).toEqual({ events: EXPECTED, lines: EXPECTED_LINES });
    expect(parseAll([encoder.encode(STREAM)])).toEqual({ events: EXPECTED, lines: EXPECTED_LINES });
  });

  it('gives the same events wherever the bytes are cut in two or three (inside a CRLF or a character too)', () => {
    const bytes = encoder.encode(STREAM);
    for (let first = 0; first <= bytes.length; first += 1) {
      for (let second = first; second <= bytes.length; second += 1) {
        // The cut is in the compared value so that a failure names it.
        expect({ cut: [first, second], ...parseAll(bytesCutAt(bytes, [first, second])) }).toEqual({
          cut: [first, second],
          events: EXPECTED,
          lines: EXPECTED_LINES,
        });
      }
    }
  });

  it('gives the same events wherever the text is cut in two or three (inside a CRLF or a surrogate pair too)', () => {
    for (let first = 0; first <= STREAM.length; first += 1) {
      for (let second = first; second <= STREAM.length; second += 1) {
        // The cut is in the compared value so that a failure names it.
        expect({ cut: [first, second], ...parseAll(textCutAt(STREAM, [first, second])) }).toEqual({
          cut: [first, second],
          events: EXPECTED,
          lines: EXPECTED_LINES,
        });
      }
    }
  });

  it('reads a stream fed one byte at a time', () => {
    const bytes = encoder.encode(STREAM);
    const chunks = Array.from(bytes, (_byte, index) => bytes.slice(index, index + 1));
    expect(parseAll(chunks)).toEqual({ events: EXPECTED, lines: EXPECTED_LINES });
  });

  it('keeps a CR that ended one chunk and an LF that starts the next as one line end', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r')).toEqual([{ event: 'message', data: 'a' }]);
    expect(parser.push('\n')).toEqual([]);
    // Lines: "data: a" and one empty line; the LFs belong to their CRs.
    expect(parser.lines).toBe(2);
  });

  it('reads a CR followed by a CR as two line ends, across chunks', () => {
    expect(parseAll(['data: a\r', '\r']).events).toEqual([{ event: 'message', data: 'a' }]);
    expect(parseAll(['data: a\r', '\rdata: b\r\r']).events).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('keeps a trailing CR pending through an empty chunk', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push(new Uint8Array())).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('holds the first bytes of a character until the rest arrive', () => {
    const bytes = encoder.encode('data: 😀\n\n');
    const parser = new ServerSentEventParser();
    expect(parser.push(bytes.slice(0, 7))).toEqual([]);
    expect(parser.push(bytes.slice(7, 9))).toEqual([]);
    expect(parser.push(bytes.slice(9))).toEqual([{ event: 'message', data: '😀' }]);
  });

  it('counts comments and blank keep-alives as lines but dispatches nothing for them', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push(':\n: keep-alive\n\n:ping\r\n\r\n')).toEqual([]);
    expect(parser.lines).toBe(5);
    expect(parser.push('data: after\n\n')).toEqual([{ event: 'message', data: 'after' }]);
    expect(parser.lines).toBe(7);
  });

  it('does not let a comment between data lines break the event', () => {
    expect(parseAll(['data: a\n: keep-alive\ndata: b\n\n']).events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('joins multi-line data with LF, keeping empty data lines', () => {
    expect(parseAll(['data: one\ndata:\ndata: three\n\n']).events).toEqual([{ event: 'message', data: 'one\n\nthree' }]);
  });

  it('strips one space after the colon and no more', () => {
    expect(parseAll(['data:no-space\n\ndata:  two spaces\n\ndata: a: b\n\n']).events).toEqual([
      { event: 'message', data: 'no-space' },
      { event: 'message', data: ' two spaces' },
      { event: 'message', data: 'a: b' },
    ]);
  });

  it('reads a field name with no colon as the field with an empty value', () => {
    expect(parseAll(['data\n\n']).events).toEqual([{ event: 'message', data: '' }]);
  });

  it('dispatches nothing for an event without data, and forgets its type', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: live-calls\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('resets the event type after each dispatch', () => {
    expect(parseAll(['event: live-calls\ndata: 1\n\ndata: 2\n\n']).events).toEqual([
      { event: 'live-calls', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('keeps the last event id for later events, clears it on an empty id, and ignores an id with NUL', () => {
    expect(parseAll(['id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid:\ndata: d\n\n']).events).toEqual([
      { event: 'message', data: 'a', id: '1' },
      { event: 'message', data: 'b', id: '1' },
      { event: 'message', data: 'c', id: '1' },
      { event: 'message', data: 'd' },
    ]);
  });

  it('ignores retry and unknown fields', () => {
    expect(parseAll(['retry: 1000\nfoo: bar\ndata: x\n\n']).events).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('does not dispatch an event the stream has not finished', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: complete\n\ndata: incomplete\n')).toEqual([{ event: 'message', data: 'complete' }]);
    expect(parser.push('data: still')).toEqual([]);
    expect(parser.push('\n\n')).toEqual([{ event: 'message', data: 'incomplete\nstill' }]);
  });

  it('drops the byte order mark at the start of a byte stream', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode('event: live-calls\ndata: x\n\n')]);
    expect(parseAll([bytes.slice(0, 2), bytes.slice(2)]).events).toEqual([{ event: 'live-calls', data: 'x' }]);
  });

  it('returns nothing for an empty chunk', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('')).toEqual([]);
    expect(parser.push(new Uint8Array())).toEqual([]);
    expect(parser.lines).toBe(0);
  });
});
