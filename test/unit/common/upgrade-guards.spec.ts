import { matchUpgradePath, mergeUpgradeGuards, UpgradeGuard } from '../../../src/common/upgrade-guards';

describe('matchUpgradePath', () => {
  it('matches an exact path, and only that path', () => {
    expect(matchUpgradePath('/twilio/media-stream', '/twilio/media-stream')).toEqual({});
    expect(matchUpgradePath('/twilio/media-stream', '/twilio/media-stream/')).toBeUndefined();
    expect(matchUpgradePath('/twilio/media-stream', '/twilio/media')).toBeUndefined();
    expect(matchUpgradePath('/twilio/media-stream', '/twilio/media-stream/extra')).toBeUndefined();
  });

  it('gives the named segments of a pattern, decoded', () => {
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls/CA123/listen')).toEqual({ callSid: 'CA123' });
    expect(matchUpgradePath('/a/:first/b/:second', '/a/x%20y/b/z')).toEqual({ first: 'x y', second: 'z' });
  });

  it('refuses an empty, missing or undecodable segment and any other shape', () => {
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls//listen')).toBeUndefined();
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls/listen')).toBeUndefined();
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls/CA1/listen/more')).toBeUndefined();
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls/CA1/speak')).toBeUndefined();
    expect(matchUpgradePath('/calls/:callSid/listen', '/calls/%E0%A4%A/listen')).toBeUndefined();
  });
});

describe('mergeUpgradeGuards', () => {
  const allow: UpgradeGuard = () => ({ allowed: true });
  const refuse: UpgradeGuard = () => ({ allowed: false, status: 401, message: 'Unauthorized' });

  it("merges every module's guards by path", () => {
    expect(mergeUpgradeGuards([{ '/twilio/media-stream': allow }, { '/calls/:callSid/listen': refuse }, {}])).toEqual({
      '/twilio/media-stream': allow,
      '/calls/:callSid/listen': refuse,
    });
  });

  it('refuses a path two modules claim', () => {
    expect(() => mergeUpgradeGuards([{ '/x': allow }, { '/x': refuse }])).toThrow('Two modules guard the WebSocket path /x');
  });
});
