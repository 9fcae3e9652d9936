import { SimulatorExceptionCode } from '../../../src/simulator/simulator.exception';
import { decodeXmlEntities, parseConnectStreamTwiml } from '../../../src/simulator/twiml.parser';

const twiml = (inner: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${inner}</Response>`;

describe('parseConnectStreamTwiml', () => {
  it('reads the Stream url and its Parameters, decoding XML entities', () => {
    const stream = parseConnectStreamTwiml(
      twiml(`
        <Connect>
          <Stream url="wss://voice.example.com/twilio/media-stream?a=1&amp;b=2" name="caller">
            <Parameter name="from" value="+15551234567"/>
            <Parameter name="note" value="Tom &amp; Jerry &quot;x&quot; &#65;&#x42;" />
          </Stream>
        </Connect>`),
    );

    expect(stream).toEqual({
      url: 'wss://voice.example.com/twilio/media-stream?a=1&b=2',
      name: 'caller',
      parameters: { from: '+15551234567', note: 'Tom & Jerry "x" AB' },
    });
  });

  it('accepts single quotes, a self-closing Stream and ignores comments', () => {
    const stream = parseConnectStreamTwiml(
      twiml(
        `<!-- <Connect><Stream url="wss://wrong"/></Connect> --><Connect><Stream url='ws://127.0.0.1:3000/twilio/media-stream'/></Connect>`,
      ),
    );

    expect(stream).toEqual({ url: 'ws://127.0.0.1:3000/twilio/media-stream', name: undefined, parameters: {} });
  });

  it.each([
    ['a one-way <Start><Stream>', twiml('<Start><Stream url="wss://x/y"/></Start>')],
    ['no stream at all', twiml('<Say>Goodbye</Say><Hangup/>')],
    ['a relative Stream url', twiml('<Connect><Stream url="/twilio/media-stream"/></Connect>')],
    ['an http Stream url', twiml('<Connect><Stream url="https://x/twilio/media-stream"/></Connect>')],
    ['not TwiML', '{"ok":true}'],
  ])('refuses %s', (_case, xml) => {
    expect(() => parseConnectStreamTwiml(xml)).toThrow(expect.objectContaining({ code: SimulatorExceptionCode.BAD_TWIML }));
  });
});

describe('decodeXmlEntities', () => {
  it('leaves unknown entities alone', () => {
    expect(decodeXmlEntities('&lt;a&gt; &nbsp; &apos;')).toBe("<a> &nbsp; '");
  });
});
