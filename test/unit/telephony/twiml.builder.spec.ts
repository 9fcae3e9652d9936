import { humanTransferTwiml, mediaStreamTwiml, parseHumanTarget } from '../../../src/telephony/twiml.builder';

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
