import {
  backToTheAgentTwiml,
  hangupTwiml,
  humanTransferTwiml,
  mediaStreamTwiml,
  parseHumanTarget,
  transferWhisperTwiml,
  warmTransferTwiml,
} from '../../../src/telephony/twiml.builder';

describe('TwiML', () => {
  it('connects the call to our media stream with caller and call SID as parameters', () => {
    const xml = mediaStreamTwiml('wss://voice.example.com/twilio/media-stream', { from: '+15551234567', callSid: 'CA1' });
    expect(xml).toContain('<Connect><Stream url="wss://voice.example.com/twilio/media-stream">');
    expect(xml).toContain('<Parameter name="from" value="+15551234567"/>');
    expect(xml).toContain('<Parameter name="callSid" value="CA1"/>');
  });

  it('recognises numbers, SIP URIs and queue names as human targets', () => {
    expect(parseHumanTarget('+15557654321').kind).toBe('number');
    expect(parseHumanTarget('sip:desk@pbx.example.com').kind).toBe('sip');
    expect(parseHumanTarget('support-humans').kind).toBe('queue');
  });

  it('attaches reason and summary to SIP and queue transfers', () => {
    const handover = { callSid: 'CA1', reason: 'refund dispute', summary: 'Jane wants a manager' };
    const sip = humanTransferTwiml(parseHumanTarget('sip:desk@pbx.example.com'), handover);
    expect(sip).toContain('X-Escalation-Reason=refund+dispute');
    const queue = humanTransferTwiml(parseHumanTarget('support-humans'), handover);
    expect(queue).toContain('<Enqueue>');
    expect(queue).toContain('refund dispute');
    expect(humanTransferTwiml(parseHumanTarget('+15557654321'), handover)).toContain('<Dial><Number>+15557654321</Number></Dial>');
  });
});

describe('warm transfer TwiML', () => {
  const dial = {
    resultUrl: 'https://voice.example.com/twilio/transfer-result?transferId=t1',
    whisperUrl: 'https://voice.example.com/twilio/transfer-whisper?transferId=t1',
    timeoutSeconds: 20,
  };

  it('dials the number with a timeout, a result callback and a whisper for whoever answers', () => {
    const xml = warmTransferTwiml({ kind: 'number', value: '+15550100' }, dial);
    expect(xml).toContain('<Dial action="https://voice.example.com/twilio/transfer-result?transferId=t1" method="POST" timeout="20">');
    expect(xml).toContain('<Number url="https://voice.example.com/twilio/transfer-whisper?transferId=t1" method="POST">+15550100</Number>');
  });

  it('dials a SIP target the same way', () => {
    expect(warmTransferTwiml({ kind: 'sip', value: 'sip:desk@pbx.example.com' }, dial)).toContain(
      '<Sip url="https://voice.example.com/twilio/transfer-whisper?transferId=t1" method="POST">sip:desk@pbx.example.com</Sip>',
    );
  });

  it('tells the person who answers who is calling and why, escaped', () => {
    const xml = transferWhisperTwiml({ reason: 'caller asked for a person', summary: 'Order <ORD-1> & a refund' });
    expect(xml).toContain('<Say>A caller is being transferred to you from the voice assistant. Reason: caller asked for a person.</Say>');
    expect(xml).toContain('<Say>Summary: Order &lt;ORD-1&gt; &amp; a refund</Say>');
    expect(transferWhisperTwiml(undefined)).toContain('The details are in the call record.');
  });

  it('brings a caller nobody took back to the agent on a new stream, or hangs up', () => {
    const xml = backToTheAgentTwiml('wss://voice.example.com/twilio/media-stream', { callSid: 'CA1', streamToken: 'tok' });
    expect(xml).toMatch(
      /<Say>Sorry, nobody could take your call.*<\/Say><Connect><Stream url="wss:\/\/voice.example.com\/twilio\/media-stream">/,
    );
    expect(xml).toContain('<Parameter name="streamToken" value="tok"/>');
    expect(hangupTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });
});
