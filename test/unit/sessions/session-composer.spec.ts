import { emptyFacts } from '../../../src/agents/tools/known-facts';
import {
  composeSystemPrompt,
  handoffUpdate,
  initialSession,
  instructionsUpdate,
  sessionTools,
} from '../../../src/sessions/session-composer';
import { factory } from '../../support/factories';

describe('session composer', () => {
  const agents = factory.departments();
  const catalog = {
    definition: (name: string) =>
      ['lookup_order', 'lookup_account_by_email', 'check_billing', 'create_ticket', 'process_refund', 'search_faq'].includes(name)
        ? factory.tool(name)
        : undefined,
  };

  it('gives an agent its backend tools, one transfer tool per target, and nothing else', () => {
    const names = sessionTools(agents.get('triage')!, agents, catalog).map((tool) => tool.name);
    expect(names).toEqual([
      'lookup_order',
      'lookup_account_by_email',
      'transfer_to_billing',
      'transfer_to_refund',
      'transfer_to_faq',
      'transfer_to_escalation',
    ]);
  });

  it('adds transfer_to_human only to agents that have it, and every tool is a function tool', () => {
    const escalation = sessionTools(agents.get('escalation')!, agents, catalog);
    expect(escalation.map((tool) => tool.name)).toEqual(['create_ticket', 'transfer_to_human']);
    expect(escalation.every((tool) => tool.type === 'function')).toBe(true);
    expect(sessionTools(agents.get('billing')!, agents, catalog).map((tool) => tool.name)).not.toContain('transfer_to_human');
  });

  it('skips targets that no longer exist', () => {
    const lonely = factory.agent({ handoffTargets: ['billing', 'gone'] });
    expect(sessionTools(lonely, agents, catalog).map((tool) => tool.name)).toEqual(['transfer_to_billing']);
  });

  it('carries reason, summary, verified account and order into the new prompt', () => {
    const prompt = composeSystemPrompt(agents.get('billing')!, {
      handoff: { fromDisplayName: 'Triage', reason: 'charge question', summary: 'Jane asks about a charge on ORD-12345' },
      facts: factory.facts({ verifiedAccount: { id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com' }, orderId: 'ORD-12345' }),
    });
    expect(prompt.startsWith(agents.get('billing')!.systemPrompt)).toBe(true);
    expect(prompt).toContain('Handed over by: Triage');
    expect(prompt).toContain('Reason: charge question');
    expect(prompt).toContain('Verified account: ACC-001 (Jane Doe)');
    expect(prompt).toContain('Order in question: ORD-12345');
  });

  it('tells the next department when account verification is locked, and only then', () => {
    const locked = composeSystemPrompt(agents.get('billing')!, { facts: factory.facts({ failedVerifications: 3 }) });
    expect(locked).toContain('Account verification is locked for this call');
    expect(composeSystemPrompt(agents.get('billing')!, { facts: factory.facts({ failedVerifications: 2 }) })).not.toContain('locked');
  });

  it('leaves the runbook alone when nothing is known yet', () => {
    expect(composeSystemPrompt(agents.get('triage')!, { facts: factory.facts() })).toBe(agents.get('triage')!.systemPrompt);
  });

  it('builds a pcmu session with greeting and voice for the first agent', () => {
    const session = initialSession(agents.get('triage')!, [], { facts: factory.facts(), callerHistory: 'Called Tuesday about ORD-12345' });
    expect(session.input?.format?.encoding).toBe('audio/pcmu');
    expect(session.output).toEqual({ voice: 'ivy', format: { encoding: 'audio/pcmu' } });
    expect(session.greeting).toBe(agents.get('triage')!.greeting);
    expect(session.system_prompt).toContain('## Caller history\nCalled Tuesday about ORD-12345');
  });

  it('changes voice in a handoff update only where the provider allows it', () => {
    const target = agents.get('refund')!;
    const context = { facts: factory.facts() };
    expect(handoffUpdate(target, [], context, false)).not.toHaveProperty('output');
    expect(handoffUpdate(target, [], context, true).output).toEqual({ voice: 'sophie' });
    expect(handoffUpdate(target, [], context, false)).not.toHaveProperty('greeting');
  });
});

describe('supervisor notes in the prompt', () => {
  it('adds the notes as guidance the caller must not hear, after the runbook and the handoff context', () => {
    const agent = factory.agent({ key: 'refund', displayName: 'Refunds' });
    const prompt = composeSystemPrompt(agent, {
      facts: emptyFacts(),
      handoff: { fromDisplayName: 'Triage', reason: 'refund', summary: 'wants a refund' },
      supervisorNotes: ['Offer the 10% goodwill credit', 'Be brief'],
    });
    const guidance = prompt.indexOf('## Supervisor guidance');
    expect(guidance).toBeGreaterThan(prompt.indexOf('## Handoff context'));
    expect(prompt.slice(guidance)).toContain('never read it out');
    expect(prompt.slice(guidance)).toContain('- Offer the 10% goodwill credit\n- Be brief');
  });

  it('has no guidance section without notes, and an instructions update carries the prompt alone', () => {
    const agent = factory.agent({ key: 'faq' });
    expect(composeSystemPrompt(agent, { facts: emptyFacts(), supervisorNotes: [] })).not.toContain('Supervisor guidance');
    expect(instructionsUpdate(agent, { facts: emptyFacts(), supervisorNotes: ['Be brief'] })).toEqual({
      system_prompt: expect.stringContaining('- Be brief'),
    });
  });
});
