import { SimulatorExceptionCode } from '../../../src/simulator/simulator.exception';
import twilio from 'twilio';
import { decodeXmlEntities, parseCallTwiml, parseConnectStreamTwiml, parseXmlDocument } from '../../../src/simulator/twiml.parser';

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

describe('parseCallTwiml', () => {
  it('reads a warm transfer: the Say, then a Dial with its action, timeout and the Number whisper url', () => {
    const verbs = parseCallTwiml(
      twiml(`
        <Say>Connecting you to a member of our team. Please hold.</Say>
        <Dial action="https://voice.example.com/twilio/transfer-result?transferId=t1&amp;x=2" method="POST" timeout="20">
          <Number url="https://voice.example.com/twilio/transfer-whisper?transferId=t1" method="POST">+15550100</Number>
        </Dial>`),
    );

    expect(verbs).toEqual([
      { verb: 'Say', text: 'Connecting you to a member of our team. Please hold.' },
      {
        verb: 'Dial',
        dial: {
          action: 'https://voice.example.com/twilio/transfer-result?transferId=t1&x=2',
          method: 'POST',
          timeoutSeconds: 20,
          callerId: undefined,
          targets: [
            {
              kind: 'number',
              address: '+15550100',
              url: 'https://voice.example.com/twilio/transfer-whisper?transferId=t1',
              method: 'POST',
            },
          ],
        },
      },
    ]);
  });

  it('reads TwiML as the twilio package builds it: a SIP target with escaped headers, no action, the default timeout', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.say('Please hold.');
    response.dial({ callerId: '+15550000' }).sip({ url: 'https://x.example/whisper' }, 'sip:desk@example.com?X-Reason=fraud&X-Call=CA1');

    expect(parseCallTwiml(response.toString())).toEqual([
      { verb: 'Say', text: 'Please hold.' },
      {
        verb: 'Dial',
        dial: {
          action: undefined,
          method: 'POST',
          timeoutSeconds: 30,
          callerId: '+15550000',
          targets: [
            { kind: 'sip', address: 'sip:desk@example.com?X-Reason=fraud&X-Call=CA1', url: 'https://x.example/whisper', method: 'POST' },
          ],
        },
      },
    ]);
  });

  it('reads a number written straight inside <Dial>', () => {
    expect(parseCallTwiml(twiml('<Dial timeout="5">+15550100</Dial>'))).toEqual([
      {
        verb: 'Dial',
        dial: {
          action: undefined,
          method: 'POST',
          timeoutSeconds: 5,
          callerId: undefined,
          targets: [{ kind: 'number', address: '+15550100', method: 'POST' }],
        },
      },
    ]);
  });

  it('reads an Enqueue with its queue name and Task attributes', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.enqueue({}, 'support-humans').task({}, JSON.stringify({ reason: 'fraud <card>', call_sid: 'CA1' }));

    expect(parseCallTwiml(response.toString())).toEqual([
      {
        verb: 'Enqueue',
        enqueue: {
          queue: 'support-humans',
          action: undefined,
          waitUrl: undefined,
          workflowSid: undefined,
          task: '{"reason":"fraud <card>","call_sid":"CA1"}',
          taskAttributes: { reason: 'fraud <card>', call_sid: 'CA1' },
        },
      },
    ]);
  });

  it('reads the fallback answers: Say then Connect/Stream, or Hangup, and keeps unknown verbs as Unsupported', () => {
    expect(
      parseCallTwiml(
        twiml(
          '<Say>Sorry, nobody answered.</Say><Connect><Stream url="wss://v.example/twilio/media-stream"><Parameter name="callSid" value="CA1"/><Parameter name="streamToken" value="t&amp;k"/></Stream></Connect>',
        ),
      ),
    ).toEqual([
      { verb: 'Say', text: 'Sorry, nobody answered.' },
      {
        verb: 'Connect',
        stream: { url: 'wss://v.example/twilio/media-stream', name: undefined, parameters: { callSid: 'CA1', streamToken: 't&k' } },
      },
    ]);
    expect(parseCallTwiml(twiml('<Hangup/>'))).toEqual([{ verb: 'Hangup' }]);
    expect(parseCallTwiml(twiml('<Pause length="2"/><Gather/><Reject reason="busy"/>'))).toEqual([
      { verb: 'Pause', seconds: 2 },
      { verb: 'Unsupported', name: 'Gather' },
      { verb: 'Reject', reason: 'busy' },
    ]);
    expect(parseCallTwiml('<Response/>')).toEqual([]);
  });

  it.each([
    ['not XML', '{"ok":true}'],
    ['another root', '<Twiml><Hangup/></Twiml>'],
    ['an unclosed element', twiml('<Dial><Number>+1555</Dial>')],
    ['a Dial with nothing to dial', twiml('<Dial timeout="5"></Dial>')],
    ['an Enqueue without a queue', twiml('<Enqueue/>')],
    ['a relative Stream url', twiml('<Connect><Stream url="/twilio/media-stream"/></Connect>')],
  ])('refuses %s', (_case, xml) => {
    expect(() => parseCallTwiml(xml)).toThrow(expect.objectContaining({ code: SimulatorExceptionCode.BAD_TWIML }));
  });
});

describe('parseXmlDocument', () => {
  it('skips the declaration and comments, keeps CDATA as text', () => {
    expect(parseXmlDocument('<?xml version="1.0"?><!-- c --><R a="1"><S><![CDATA[a < b]]></S></R>')).toEqual({
      name: 'R',
      attributes: { a: '1' },
      children: [{ name: 'S', attributes: {}, children: ['a < b'] }],
    });
  });
});
