import {
  BrainContext,
  BrainMemory,
  describeToolOutcome,
  detectIntent,
  emptyBrainMemory,
  introductionFromPrompt,
  learnFromSystemPrompt,
  learnFromToolResult,
  respondToCaller,
  respondToReplyRequest,
  respondToToolResults,
  ToolOutcome,
  TRANSITION_PHRASE,
} from '../../../src/voice-agent/local/local-agent.brain';

const TOOLS = {
  triage: [
    'lookup_order',
    'lookup_account_by_email',
    'transfer_to_billing',
    'transfer_to_refund',
    'transfer_to_faq',
    'transfer_to_escalation',
  ],
  billing: ['lookup_order', 'lookup_account_by_email', 'list_recent_orders', 'check_billing', 'create_ticket', 'transfer_to_triage'],
  refund: ['lookup_order', 'lookup_account_by_email', 'list_recent_orders', 'process_refund', 'create_ticket'],
  faq: ['lookup_order', 'search_faq'],
  escalation: ['create_ticket', 'transfer_to_human'],
};

const context = (department: keyof typeof TOOLS, overrides: Partial<BrainContext> = {}): BrainContext => ({
  toolNames: TOOLS[department],
  ...overrides,
});
const memory = (overrides: Partial<BrainMemory> = {}): BrainMemory => ({ ...emptyBrainMemory(), ...overrides });
const verifiedJane = (overrides: Partial<BrainMemory> = {}) =>
  memory({ email: 'jane@example.com', accountId: 'ACC-001', accountVerified: true, callerName: 'Jane Doe', ...overrides });
const outcome = (name: string, result: unknown, args: Record<string, unknown> = {}): ToolOutcome => ({
  name,
  arguments: args,
  result: JSON.stringify(result),
});
const names = (turn: { toolCalls: { name: string }[] }) => turn.toolCalls.map((call) => call.name);

describe('local agent brain: intents', () => {
  it.each([
    ['I want to talk to a real agent', 'human'],
    ['Can I speak to your MANAGER', 'human'],
    ['I need a refund', 'refund'],
    ['What is your refund policy?', 'faq'],
    ['There is a weird charge on my card', 'billing'],
    ['what is my balance', 'billing'],
    ['Where is my order?', 'order_status'],
    ['has it shipped yet', 'order_status'],
    ['How long does shipping take?', 'faq'],
    ['please open a ticket', 'ticket'],
    ['hello there', undefined],
  ])('%s -> %s', (text, intent) => {
    expect(detectIntent(text)).toBe(intent);
  });
});

describe('local agent brain: respondToCaller', () => {
  it('asks for the billing postcode when the caller gives only an email, then looks up both', () => {
    const asked = respondToCaller(memory(), 'My email is Jane@Example.com', context('triage'));
    expect(asked.toolCalls).toEqual([]);
    expect(asked.text).toBe("Thanks. What's the billing postcode on your account?");
    expect(asked.memory.email).toBe('jane@example.com');

    const turn = respondToCaller(asked.memory, "It's 94107", context('triage'));
    expect(turn.toolCalls).toEqual([{ name: 'lookup_account_by_email', arguments: { email: 'jane@example.com', postcode: '94107' } }]);
    expect(turn.text).toBe(TRANSITION_PHRASE);
  });

  it.each([
    ['My email is jane@example.com and my postcode is 94107', '94107'],
    ['jane@example.com, zip code 94107', '94107'],
    ['Jane@Example.com, zip: 94107-1234', '94107-1234'],
    ['my post code is sw1a 1aa and my email is jane@example.com', 'SW1A 1AA'],
  ])('looks up email and postcode given together: %p', (utterance, postcode) => {
    const turn = respondToCaller(memory(), utterance, context('triage'));
    expect(turn.toolCalls).toEqual([{ name: 'lookup_account_by_email', arguments: { email: 'jane@example.com', postcode } }]);
  });

  it('uses a postcode the caller gave before the email', () => {
    const first = respondToCaller(memory(), 'my zip code is 94107', context('triage'));
    expect(first.toolCalls).toEqual([]);
    expect(first.text).toBe("Thanks. What's the email address on your account?");
    const turn = respondToCaller(first.memory, 'jane@example.com', context('triage'));
    expect(turn.toolCalls).toEqual([{ name: 'lookup_account_by_email', arguments: { email: 'jane@example.com', postcode: '94107' } }]);
  });

  it('reads a bare number as a postcode only when answering the postcode question, never an order id', () => {
    expect(respondToCaller(memory(), 'I want a refund for ORD-12345', context('refund')).memory.postcode).toBeUndefined();
    const asked = respondToCaller(memory(), 'I want a refund, my email is jane@example.com', context('refund'));
    expect(asked.toolCalls).toEqual([]);
    const orderOnly = respondToCaller(asked.memory, 'It is for ORD-12345', context('refund'));
    expect(orderOnly.toolCalls).toEqual([]);
    expect(orderOnly.text).toMatch(/billing postcode/);
    expect(orderOnly.memory.orderId).toBe('ORD-12345');
    expect(orderOnly.memory.postcode).toBeUndefined();
  });

  it('calls the account lookup and the billing transfer together from triage once it has both details', () => {
    const turn = respondToCaller(memory(), "I'm jane@example.com, zip code 94107, and I have a question about a charge", context('triage'));
    expect(names(turn)).toEqual(['lookup_account_by_email', 'transfer_to_billing']);
    expect(turn.toolCalls[0].arguments).toEqual({ email: 'jane@example.com', postcode: '94107' });
    expect(turn.toolCalls[1].arguments).toEqual({
      reason: 'caller asked about a charge',
      summary: 'Caller (jane@example.com) asked about a charge on their bill',
    });
    expect(turn.memory.pendingIntent).toBe('billing');
  });

  it('asks for the postcode before handing over an account request, then verifies and transfers', () => {
    const asked = respondToCaller(memory(), "I'm jane@example.com and I have a question about a charge", context('triage'));
    expect(asked.toolCalls).toEqual([]);
    expect(asked.text).toBe("Thanks. What's the billing postcode on your account?");
    expect(asked.memory.pendingIntent).toBe('billing');
    const turn = respondToCaller(asked.memory, '94107', context('triage'));
    expect(turn.toolCalls).toEqual([
      { name: 'lookup_account_by_email', arguments: { email: 'jane@example.com', postcode: '94107' } },
      {
        name: 'transfer_to_billing',
        arguments: { reason: 'caller asked about a charge', summary: 'Caller (jane@example.com) asked about a charge on their bill' },
      },
    ]);
  });

  it('writes the transfer summary from what it knows', () => {
    const turn = respondToCaller(verifiedJane(), 'Why was I charged twice?', context('triage'));
    expect(turn.toolCalls).toEqual([
      {
        name: 'transfer_to_billing',
        arguments: { reason: 'caller asked about a charge', summary: 'Jane (ACC-001) asked about a charge on their bill' },
      },
    ]);
  });

  it('only calls tools listed in the current session config', () => {
    const turn = respondToCaller(verifiedJane(), 'Why was I charged twice?', context('faq'));
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toMatch(/not able to look at billing/);
  });

  it('checks billing itself when it has check_billing and the account is verified', () => {
    const turn = respondToCaller(verifiedJane(), 'what is my balance', context('billing'));
    expect(turn.toolCalls).toEqual([{ name: 'check_billing', arguments: { account_id: 'ACC-001' } }]);
  });

  it('asks for the email and postcode before billing data when the account is not verified', () => {
    const turn = respondToCaller(memory(), 'what is my balance', context('billing'));
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toBe("I can help with your bill. What's the email address on your account, and its billing postcode?");
    expect(turn.memory.pendingIntent).toBe('billing');
  });

  it('transfers to a human, else to escalation', () => {
    expect(names(respondToCaller(memory(), 'get me a human', context('escalation')))).toEqual(['transfer_to_human']);
    expect(names(respondToCaller(memory(), 'get me a human', context('triage')))).toEqual(['transfer_to_escalation']);
    expect(names(respondToCaller(memory(), 'get me a human', context('faq')))).toEqual([]);
  });

  it('processes a refund only with a verified account and a known order', () => {
    expect(respondToCaller(verifiedJane(), 'I want a refund for ORD-12345', context('refund')).toolCalls).toEqual([
      { name: 'process_refund', arguments: { order_id: 'ORD-12345', reason: 'caller requested a refund' } },
    ]);
    expect(respondToCaller(verifiedJane(), 'I want a refund', context('refund')).text).toMatch(/order number/);
    expect(respondToCaller(memory(), 'I want a refund for ORD-12345', context('refund')).text).toMatch(/email address/);
    expect(names(respondToCaller(memory(), 'I want a refund for ord-12345', context('triage')))).toEqual(['transfer_to_refund']);
  });

  it('looks up an order by id, and asks for the id when it has none', () => {
    expect(respondToCaller(memory(), 'where is ORD-12345', context('triage')).toolCalls).toEqual([
      { name: 'lookup_order', arguments: { order_id: 'ORD-12345' } },
    ]);
    const ask = respondToCaller(memory(), 'where is my package', context('triage'));
    expect(ask.toolCalls).toEqual([]);
    expect(ask.text).toMatch(/order number/);
    // The next utterance answers the question.
    expect(respondToCaller(ask.memory, 'it is ORD-67890', context('triage')).toolCalls).toEqual([
      { name: 'lookup_order', arguments: { order_id: 'ORD-67890' } },
    ]);
  });

  it('searches the FAQ with the question, or transfers to the FAQ agent', () => {
    expect(respondToCaller(memory(), 'What is your return policy?', context('faq')).toolCalls).toEqual([
      { name: 'search_faq', arguments: { query: 'What is your return policy?' } },
    ]);
    expect(names(respondToCaller(memory(), 'What is your return policy?', context('triage')))).toEqual(['transfer_to_faq']);
  });

  it('creates a ticket when asked', () => {
    expect(names(respondToCaller(verifiedJane(), 'please open a ticket about my login', context('escalation')))).toEqual(['create_ticket']);
  });

  it('starts with the introduction after a prompt change', () => {
    const turn = respondToCaller(memory(), 'hello', context('billing', { introduction: 'Hi, this is the billing team.' }));
    expect(turn.text.startsWith('Hi, this is the billing team. ')).toBe(true);
  });

  it('does not call anything for small talk', () => {
    const turn = respondToCaller(memory(), 'thank you', context('triage'));
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toMatch(/welcome/);
  });
});

describe('local agent brain: ignoring requests for a person (control ignore-requests-for-people)', () => {
  const ignoring = (department: keyof typeof TOOLS, overrides: Partial<BrainContext> = {}) =>
    context(department, { ignoreRequestsForPeople: true, ...overrides });

  it('answers a request for a person as words with no intent, calling no transfer', () => {
    const noIntent = respondToCaller(memory(), 'hello there', context('escalation'));
    for (const department of ['escalation', 'triage'] as const) {
      for (const utterance of ['get me a human', 'Can I speak to your MANAGER', 'I want to talk to a real agent']) {
        const turn = respondToCaller(memory(), utterance, ignoring(department));
        expect(turn.toolCalls).toEqual([]);
        expect(turn.text).toBe(noIntent.text);
        expect(turn.memory).toEqual(memory());
      }
    }
    expect(respondToCaller(memory(), 'thanks, put me through to a person', ignoring('escalation')).text).toBe(
      respondToCaller(memory(), 'thanks', context('escalation')).text,
    );
    const introduced = respondToCaller(memory(), 'get me a human', ignoring('escalation', { introduction: 'Hi, this is escalations.' }));
    expect(introduced.text).toBe(`Hi, this is escalations. ${noIntent.text}`);
  });

  it('still acts on everything else, a request for a person given with other details included', () => {
    expect(names(respondToCaller(memory(), 'I need a refund for ORD-12345', ignoring('triage')))).toEqual(['transfer_to_refund']);
    const withEmail = respondToCaller(memory(), "I'm jane@example.com, get me a person", ignoring('triage'));
    expect(withEmail.toolCalls).toEqual([]);
    expect(withEmail.text).toBe(respondToCaller(memory(), "I'm jane@example.com", context('triage')).text);
    const withBoth = respondToCaller(memory(), "I'm jane@example.com, zip code 94107, a person please", ignoring('escalation'));
    expect(names(withBoth)).toEqual([]);
    expect(withBoth.memory.pendingIntent).toBeUndefined();
  });

  it('does not act on a request for a person heard before it was told to ignore them', () => {
    const pending = memory({ pendingIntent: 'human', pendingRequest: 'a person please' });
    const after = respondToToolResults(pending, [outcome('transfer_to_escalation', { ok: true })], ignoring('escalation'));
    expect(after.toolCalls).toEqual([]);
    expect(after.text).toBe('Is there anything else I can help with?');
    expect(respondToCaller(pending, 'it is ORD-12345', ignoring('escalation')).toolCalls).toEqual([]);
    // Heard again once the setting is off.
    expect(names(respondToToolResults(pending, [outcome('transfer_to_escalation', { ok: true })], context('escalation')))).toEqual([
      'transfer_to_human',
    ]);
  });

  it('transfers as before when the setting is off', () => {
    expect(names(respondToCaller(memory(), 'get me a human', context('escalation', { ignoreRequestsForPeople: false })))).toEqual([
      'transfer_to_human',
    ]);
  });
});

describe('local agent brain: respondToReplyRequest', () => {
  const reply = (instructions?: string, overrides: Partial<BrainContext> = {}) =>
    respondToReplyRequest(memory(), context('triage', overrides), instructions).text;

  it('says goodbye, asks whether the caller is still there, or greets when the instructions ask, goodbye first', () => {
    expect(reply('Say goodbye to the caller.')).toBe('Thank you for calling. Goodbye!');
    expect(reply('The caller has been silent for a while. Ask them briefly whether they are still there. Do not call any tool.')).toBe(
      'Are you still there?',
    );
    expect(reply('Are you STILL THERE?', { introduction: 'Hi, this is Bailey.' })).toBe('Are you still there?');
    expect(reply('If they are still there, say goodbye.')).toBe('Thank you for calling. Goodbye!');
    expect(reply('Greet the caller.', { introduction: 'Hi, this is Bailey.' })).toBe(
      'Hi, this is Bailey. I can help with orders, billing, refunds and general questions. What can I do for you?',
    );
    expect(reply()).toBe("Thanks for your patience, I'm still working on that.");
  });

  it('apologises and offers a ticket when told a transfer to a person did not go through', () => {
    expect(reply('The caller is back with you: the transfer to a person did not go through. Apologise in one sentence.')).toBe(
      "I'm sorry, nobody could take your call just now. Would you like me to open a ticket so the team calls you back?",
    );
  });

  it('calls no tool and leaves the memory as it was', () => {
    const known = verifiedJane({ pendingIntent: 'billing' });
    const turn = respondToReplyRequest(known, context('billing'), 'ask whether they are still there');
    expect(turn.toolCalls).toEqual([]);
    expect(turn.memory).toBe(known);
  });
});

describe('local agent brain: learning', () => {
  it.each([
    [{ account_id: 'ACC-001', name: 'Jane Doe' }],
    [{ account: { id: 'ACC-001', name: 'Jane Doe' } }],
    [{ account: { account_id: 'ACC-001', full_name: 'Jane Doe' } }],
  ])('verifies the account from a lookup result shaped %j', (result) => {
    const learned = learnFromToolResult(memory(), outcome('lookup_account_by_email', result));
    expect(learned).toMatchObject({ accountId: 'ACC-001', accountVerified: true, callerName: 'Jane Doe' });
  });

  it('does not verify on an error result', () => {
    expect(learnFromToolResult(memory(), outcome('lookup_account_by_email', { error: 'account_not_found' })).accountVerified).toBe(false);
  });

  it('asks for both details again after a failed verification, and offers a person once locked', () => {
    const tried = memory({ email: 'jane@example.com', postcode: '10001', pendingIntent: 'billing', pendingRequest: 'my balance' });
    const failed = outcome(
      'lookup_account_by_email',
      { error: 'verification_failed', attempts_remaining: 2 },
      { email: 'jane@example.com', postcode: '10001' },
    );
    const learned = learnFromToolResult(tried, failed);
    expect(learned.accountVerified).toBe(false);
    expect([learned.email, learned.postcode, learned.verificationLocked]).toEqual([undefined, undefined, undefined]);
    const retry = respondToToolResults(learned, [failed], context('billing'));
    expect(retry.toolCalls).toEqual([]);
    expect(retry.text).toBe(
      "I'm sorry, I couldn't complete that (verification_failed). I can help with your bill. What's the email address on your account, and its billing postcode?",
    );

    const lastTry = outcome('lookup_account_by_email', { error: 'verification_failed', attempts_remaining: 0 });
    const locked = learnFromToolResult(tried, lastTry);
    expect(locked.verificationLocked).toBe(true);
    expect(respondToToolResults(locked, [lastTry], context('billing')).text).toMatch(
      /can't verify your account on this call.*member of our team/,
    );
    const again = respondToCaller(locked, 'my email is jane@example.com and my zip is 94107', context('billing'));
    expect(again.toolCalls).toEqual([]);
    expect(learnFromToolResult(memory(), outcome('lookup_account_by_email', { error: 'verification_locked' })).verificationLocked).toBe(
      true,
    );
    expect(
      learnFromSystemPrompt(memory(), 'You are billing.\nAccount verification is locked for this call after too many failed attempts')
        .verificationLocked,
    ).toBe(true);
  });

  it('stays verified for the first account when the tool refuses a second one', () => {
    const switching = respondToCaller(
      verifiedJane(),
      'I am sam@example.com, zip code 60614, I want a refund for ORD-24680',
      context('refund'),
    );
    expect(switching.toolCalls[0]).toEqual({ name: 'lookup_account_by_email', arguments: { email: 'sam@example.com', postcode: '60614' } });
    const refused = outcome('lookup_account_by_email', { error: 'another_account_verified', verified_account_id: 'ACC-001' });
    expect(learnFromToolResult(switching.memory, refused)).toMatchObject({ accountId: 'ACC-001', accountVerified: true });
  });

  it('reads known facts from the system prompt', () => {
    const prompt =
      'You are the billing specialist at Acme.\n\nKnown facts:\n- Verified account: ACC-001 (Jane Doe)\n- Order in question: ORD-12345\n';
    expect(learnFromSystemPrompt(memory(), prompt)).toMatchObject({
      accountId: 'ACC-001',
      accountVerified: true,
      callerName: 'Jane Doe',
      orderId: 'ORD-12345',
    });
    expect(learnFromSystemPrompt(memory(), 'Verified account: none').accountVerified).toBe(false);
  });

  it('does not ask again after a handoff that carried the facts', () => {
    const learned = learnFromSystemPrompt(memory(), 'You are refunds.\nVerified account: ACC-001\nOrder in question: ORD-12345');
    expect(respondToCaller(learned, 'I want a refund', context('refund')).toolCalls).toEqual([
      { name: 'process_refund', arguments: { order_id: 'ORD-12345', reason: 'caller requested a refund' } },
    ]);
  });

  it('introduces itself from the first line of a prompt', () => {
    expect(introductionFromPrompt('\nYou are Bailey, the billing specialist at Acme.\nMore.')).toBe(
      'Hi, this is Bailey, the billing specialist at Acme.',
    );
    expect(introductionFromPrompt('Billing department')).toBe('Billing department.');
    expect(introductionFromPrompt('   ')).toBeUndefined();
  });
});

describe('local agent brain: describing results', () => {
  it('describes an order plainly', () => {
    const text = describeToolOutcome(
      outcome('lookup_order', { order_id: 'ORD-12345', status: 'shipped', eta: '2026-05-09', tracking_number: '1Z999AA10123456784' }),
    );
    expect(text).toBe('Order ORD-12345 is shipped, arriving 2026-05-09, tracking 1Z999AA10123456784.');
    expect(describeToolOutcome(outcome('lookup_order', { order: { id: 'ORD-67890', status: 'processing', eta: '2026-05-12' } }))).toBe(
      'Order ORD-67890 is processing, arriving 2026-05-12.',
    );
  });

  it('apologises naming the error code', () => {
    expect(describeToolOutcome(outcome('lookup_order', { error: 'order_not_found', order_id: 'ORD-00000' }))).toBe(
      "I'm sorry, I couldn't complete that (order_not_found).",
    );
  });

  it('describes billing, refunds, tickets and FAQ answers', () => {
    expect(describeToolOutcome(outcome('check_billing', { balance: 84.99, invoices: [{ id: 'INV-1', amount: 84.99 }] }))).toBe(
      'Your current balance is $84.99. You have 1 invoice on file; the latest is INV-1 for $84.99.',
    );
    expect(describeToolOutcome(outcome('process_refund', { refund: { order_id: 'ORD-12345', amount: 84.99, status: 'approved' } }))).toBe(
      'Your refund of $84.99 for order ORD-12345 is approved.',
    );
    expect(describeToolOutcome(outcome('create_ticket', { ticket_id: 'TCK-9' }))).toBe("I've opened ticket TCK-9 for you.");
    expect(
      describeToolOutcome(
        outcome('search_faq', { results: [{ question: 'Refunds?', answer: 'Refunds go back within 5-7 business days.' }] }),
      ),
    ).toBe('Refunds go back within 5-7 business days.');
    expect(describeToolOutcome({ name: 'lookup_order', arguments: {}, result: 'not json' })).toMatch(/couldn't read/);
  });
});

describe('local agent brain: respondToToolResults', () => {
  it('continues the pending request with the new department tools after a handoff', () => {
    const before = respondToCaller(
      memory(),
      "I'm jane@example.com, zip code 94107, and I have a question about a charge",
      context('triage'),
    );
    let learned = before.memory;
    const results = [
      outcome('lookup_account_by_email', { account_id: 'ACC-001', name: 'Jane Doe' }, { email: 'jane@example.com', postcode: '94107' }),
      outcome('transfer_to_billing', { ok: true }),
    ];
    for (const result of results) learned = learnFromToolResult(learned, result);
    const after = respondToToolResults(learned, results, context('billing', { introduction: 'Hi, this is the billing team.' }));
    expect(after.text).toBe(`Hi, this is the billing team. Thanks Jane, I've verified your account ACC-001. ${TRANSITION_PHRASE}`);
    expect(after.toolCalls).toEqual([{ name: 'check_billing', arguments: { account_id: 'ACC-001' } }]);

    const billing = outcome('check_billing', { balance: 42 });
    const done = respondToToolResults(learnFromToolResult(after.memory, billing), [billing], context('billing'));
    expect(done.toolCalls).toEqual([]);
    expect(done.text).toBe('Your current balance is $42.00. Is there anything else I can help with?');
    expect(done.memory.pendingIntent).toBeUndefined();
  });

  it('does not loop when a handoff did not swap the tools', () => {
    const pending = verifiedJane({ pendingIntent: 'billing', pendingRequest: 'a charge' });
    const after = respondToToolResults(pending, [outcome('transfer_to_billing', { ok: true })], context('triage'));
    expect(after.toolCalls).toEqual([]);
    expect(after.text).toMatch(/not able to look at billing/);
  });

  it('lets escalation hand the caller to a human after its own handoff', () => {
    const pending = memory({ pendingIntent: 'human', pendingRequest: 'a person please' });
    const after = respondToToolResults(pending, [outcome('transfer_to_escalation', { ok: true })], context('escalation'));
    expect(names(after)).toEqual(['transfer_to_human']);
  });

  it('apologises and stops when the transfer failed', () => {
    const pending = verifiedJane({ pendingIntent: 'billing' });
    const after = respondToToolResults(pending, [outcome('transfer_to_billing', { error: 'handoff_refused' })], context('triage'));
    expect(after.toolCalls).toEqual([]);
    expect(after.text).toBe("I'm sorry, I couldn't complete that (handoff_refused). Is there anything else I can help with?");
  });
});
