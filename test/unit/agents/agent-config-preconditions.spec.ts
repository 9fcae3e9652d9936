import { agentConfigETag, parseIfMatch } from '../../../src/agents/controllers/agent-config-etag';
import { describeFailedPrecondition, preconditionHolds } from '../../../src/agents/services/version-precondition';

describe('agentConfigETag', () => {
  it('is a strong tag naming the version', () => {
    expect(agentConfigETag(3)).toBe('"v3"');
  });
});

describe('parseIfMatch', () => {
  it('is absent without the header', () => {
    expect(parseIfMatch(undefined)).toEqual({ kind: 'absent' });
  });

  it('reads * as "the agent exists"', () => {
    expect(parseIfMatch('*')).toEqual({ kind: 'precondition', precondition: { kind: 'exists' } });
    expect(parseIfMatch(' * ')).toEqual({ kind: 'precondition', precondition: { kind: 'exists' } });
  });

  it.each([
    ['"v3"', [3]],
    ['W/"v3"', [3]],
    ['"v3", "v4"', [3, 4]],
    ['"v3",W/"v12" ,', [3, 12]],
    [', "v7"', [7]],
    ['"abc"', []],
    ['"v0", "v03", "v-1", "3"', []],
    ['"v,3", "v5"', [5]],
  ])('reads %p as versions %p (tags that are not ours match nothing)', (header, versions) => {
    expect(parseIfMatch(header)).toEqual({ kind: 'precondition', precondition: { kind: 'one-of', versions } });
  });

  it.each(['', ' ', 'v3', '3', '"v3', 'v3"', '"v3" "v4"', '"v3";', 'w/"v3"', '"v"3"', '*, "v3"', ','])(
    'refuses %p as malformed',
    (header) => {
      expect(parseIfMatch(header)).toEqual({ kind: 'malformed' });
    },
  );

  it('matches what agentConfigETag sends', () => {
    expect(parseIfMatch(agentConfigETag(41))).toEqual({ kind: 'precondition', precondition: { kind: 'one-of', versions: [41] } });
  });
});

describe('preconditionHolds', () => {
  it('always holds without a precondition, even for an agent that does not exist yet', () => {
    expect(preconditionHolds(undefined, 4)).toBe(true);
    expect(preconditionHolds(undefined, undefined)).toBe(true);
  });

  it('holds for "exists" whenever the agent has a version', () => {
    expect(preconditionHolds({ kind: 'exists' }, 1)).toBe(true);
    expect(preconditionHolds({ kind: 'exists' }, undefined)).toBe(false);
  });

  it('holds only when the current version is one of those named', () => {
    expect(preconditionHolds({ kind: 'one-of', versions: [3, 4] }, 4)).toBe(true);
    expect(preconditionHolds({ kind: 'one-of', versions: [3] }, 4)).toBe(false);
    expect(preconditionHolds({ kind: 'one-of', versions: [] }, 4)).toBe(false);
    expect(preconditionHolds({ kind: 'one-of', versions: [1] }, undefined)).toBe(false);
  });

  it('says which version is current and which was named', () => {
    expect(describeFailedPrecondition('billing', { kind: 'one-of', versions: [2] }, 3)).toBe(
      'Agent "billing" is at version 3 but If-Match named version 2: read it again and reapply the change',
    );
    expect(describeFailedPrecondition('billing', { kind: 'one-of', versions: [] }, 3)).toContain('named no version of it');
    expect(describeFailedPrecondition('loyalty', { kind: 'exists' }, undefined)).toBe(
      'There is no agent "loyalty" yet, so If-Match cannot match',
    );
  });
});
