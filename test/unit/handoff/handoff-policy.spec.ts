import { decideHandoff, HandoffRefusalCode, HandoffRequestContext } from '../../../src/handoff/handoff-policy';
import { factory } from '../../support/factories';

describe('decideHandoff', () => {
  const agents = factory.departments();
  const request = (overrides: Partial<HandoffRequestContext> & { from: string; to: string }): HandoffRequestContext => ({
    current: agents.get(overrides.from)!,
    targetKey: overrides.to,
    target: agents.get(overrides.to),
    appliedHops: [],
    maxHandoffs: 6,
    transferPendingInThisReply: false,
    ...overrides,
  });
  const code = (context: HandoffRequestContext) => {
    const decision = decideHandoff(context);
    return decision.allowed ? 'allowed' : decision.code;
  };

  it('allows a configured handoff target', () => {
    expect(code(request({ from: 'triage', to: 'billing' }))).toBe('allowed');
  });

  it('refuses unknown departments, non-targets and the current department', () => {
    expect(code(request({ from: 'triage', to: 'legal' }))).toBe(HandoffRefusalCode.UnknownDepartment);
    expect(code(request({ from: 'faq', to: 'refund' }))).toBe(HandoffRefusalCode.NotAHandoffTarget);
    expect(code(request({ from: 'triage', to: 'triage' }))).toBe(HandoffRefusalCode.SameDepartment);
  });

  it('allows one return trip but refuses bouncing back and forth', () => {
    expect(code(request({ from: 'billing', to: 'triage', appliedHops: [{ from: 'triage', to: 'billing' }] }))).toBe('allowed');
    const bounced = [
      { from: 'triage', to: 'billing' },
      { from: 'billing', to: 'triage' },
    ];
    expect(code(request({ from: 'triage', to: 'billing', appliedHops: bounced }))).toBe(HandoffRefusalCode.PingPong);
    expect(code(request({ from: 'triage', to: 'refund', appliedHops: bounced }))).toBe('allowed');
  });

  it('refuses past the configured maximum', () => {
    const hops = [
      { from: 'triage', to: 'billing' },
      { from: 'billing', to: 'refund' },
    ];
    expect(code(request({ from: 'refund', to: 'escalation', appliedHops: hops, maxHandoffs: 2 }))).toBe(HandoffRefusalCode.TooManyHandoffs);
    expect(code(request({ from: 'refund', to: 'escalation', appliedHops: hops, maxHandoffs: 3 }))).toBe('allowed');
  });

  it('refuses a second transfer in the same reply', () => {
    expect(code(request({ from: 'triage', to: 'billing', transferPendingInThisReply: true }))).toBe(
      HandoffRefusalCode.TransferAlreadyPending,
    );
  });
});
