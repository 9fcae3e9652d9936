// The local provider's "model": deterministic keyword rules, no I/O. It can only call tools
// listed in the current session config, so a handoff that did not swap tools shows up as
// wrong behaviour in tests and demos.

export type Intent = 'human' | 'refund' | 'billing' | 'order_status' | 'faq' | 'ticket';

export interface BrainMemory {
  email?: string;
  // The billing postcode the caller gave, kept until a lookup uses it and fails.
  postcode?: string;
  accountId?: string;
  accountVerified: boolean;
  // Too many failed verifications in this call: stop asking, offer a person.
  verificationLocked?: boolean;
  callerName?: string;
  orderId?: string;
  // What the caller asked for and has not had answered yet, carried across handoffs.
  pendingIntent?: Intent;
  pendingRequest?: string;
}

export interface BrainContext {
  toolNames: readonly string[];
  // Set on the first reply after a session.update changed the system prompt.
  introduction?: string;
  // A model that misses a caller asking for a person (control ignore-requests-for-people): the 'human'
  // intent is heard as no intent at all, so no transfer is called for it.
  ignoreRequestsForPeople?: boolean;
}

export interface BrainToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface BrainTurn {
  memory: BrainMemory;
  text: string;
  toolCalls: BrainToolCall[];
}

export interface ToolOutcome {
  name: string;
  arguments: Record<string, unknown>;
  // The JSON string the client sent as tool.result.
  result: string;
}

export const TRANSITION_PHRASE = 'Let me check that for you.';
const OFFER_HELP = 'I can help with orders, billing, refunds and general questions. What can I do for you?';
const ANYTHING_ELSE = 'Is there anything else I can help with?';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;
const ORDER_ID = /\bORD-\d{5}\b/i;
// A US ZIP (or ZIP+4) or a UK-style postcode.
const POSTCODE = String.raw`(\d{5}(?:-\d{4})?|[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2})`;
const LABELLED_POSTCODE = new RegExp(String.raw`\b(?:post\s?code|postal\s+code|zip(?:\s?code)?)\s*(?:is\s+|:\s*)?${POSTCODE}\b`, 'i');
// Only read when the caller is answering our question about the postcode: not part of an ORD- id or an email.
const BARE_POSTCODE = new RegExp(String.raw`(?<![\w@.-])${POSTCODE}\b`, 'i');
// Requests the brain will not act on before the account is verified.
const ACCOUNT_INTENTS: ReadonlySet<Intent> = new Set(['billing', 'refund']);
const ASK_POSTCODE = "What's the billing postcode on your account?";
const ASK_EMAIL = "What's the email address on your account?";
const ASK_EMAIL_AND_POSTCODE = "What's the email address on your account, and its billing postcode?";
const VERIFICATION_LOCKED =
  "I'm sorry, I can't verify your account on this call. I can connect you with a member of our team if you'd like.";

const FULFILLING_TOOL: Record<Intent, string> = {
  human: 'transfer_to_human',
  refund: 'process_refund',
  billing: 'check_billing',
  order_status: 'lookup_order',
  faq: 'search_faq',
  ticket: 'create_ticket',
};

const TRANSFER_REASON: Record<Intent, string> = {
  human: 'caller asked for a human',
  refund: 'caller wants a refund',
  billing: 'caller asked about a charge',
  order_status: 'caller asked about an order',
  faq: 'caller has a general question',
  ticket: 'caller wants a support ticket',
};

const DEPARTMENT_NAME: Record<string, string> = {
  transfer_to_billing: 'our billing team',
  transfer_to_refund: 'our refunds team',
  transfer_to_faq: 'our help desk',
  transfer_to_escalation: 'a senior specialist',
  transfer_to_human: 'a member of our team',
  transfer_to_triage: 'our front desk',
};

export function emptyBrainMemory(): BrainMemory {
  return { accountVerified: false };
}

// ---------- what the brain reads ----------

export function detectIntent(text: string): Intent | undefined {
  const lower = text.toLowerCase();
  if (/\b(human|person|representative|manager|real agent)\b/.test(lower)) return 'human';
  if (/\b(policy|policies|how long|faq)\b/.test(lower)) return 'faq';
  if (/\brefund/.test(lower)) return 'refund';
  if (/\b(bill|billing|billed|charge|charged|charges|balance|invoice|invoices|payment|payments)\b/.test(lower)) return 'billing';
  if (/\b(where is|where's|status|track|tracking|shipped)\b/.test(lower)) return 'order_status';
  if (/\bticket\b/.test(lower)) return 'ticket';
  if (/\b(shipping|return|returns|question)\b/.test(lower)) return 'faq';
  return undefined;
}

// Known facts a handoff or a fresh session writes into the prompt, so the caller is not asked again.
export function learnFromSystemPrompt(memory: BrainMemory, prompt: string): BrainMemory {
  const next = { ...memory };
  const account = /Verified account:\s*([A-Za-z0-9][\w-]*)(?:\s*\(([^)]+)\))?/i.exec(prompt);
  if (account && !/^(none|unknown|no|n\/a)$/i.test(account[1])) {
    next.accountId = account[1];
    next.accountVerified = true;
    if (account[2]) next.callerName = account[2].trim();
  }
  const order = /Order in question:\s*(ORD-\d{5})/i.exec(prompt);
  if (order) next.orderId = order[1].toUpperCase();
  const name = /Caller name:\s*([^\n]+)/i.exec(prompt);
  if (name) next.callerName = name[1].trim();
  const email = /Email:\s*([^\s]+@[^\s]+)/i.exec(prompt);
  if (email && !next.email) next.email = email[1].toLowerCase();
  if (/Account verification is locked/i.test(prompt)) next.verificationLocked = true;
  return next;
}

export function learnFromToolResult(memory: BrainMemory, outcome: ToolOutcome): BrainMemory {
  const result = parseResult(outcome.result);
  if (!result) return memory;
  const failed = result.error !== undefined;
  const next = { ...memory };
  switch (outcome.name) {
    case 'lookup_account_by_email': {
      const accountId = text(pick(result, 'account_id', 'accountId', 'account.id', 'account.account_id', 'id'));
      if (result.error === 'another_account_verified') {
        // The call stays verified for the account it already had; the tool refused the switch.
        const verifiedId = text(pick(result, 'verified_account_id'));
        return verifiedId ? { ...next, accountId: verifiedId, accountVerified: true } : next;
      }
      if (failed || !accountId || pick(result, 'verified') === false) {
        next.accountVerified = false;
        if (
          result.error === 'verification_locked' ||
          (result.error === 'verification_failed' && pick(result, 'attempts_remaining') === 0)
        ) {
          next.verificationLocked = true;
        }
        // Which detail was wrong is never said: ask for both again.
        if (result.error === 'verification_failed') {
          next.email = undefined;
          next.postcode = undefined;
        }
        return next;
      }
      next.accountId = accountId;
      next.accountVerified = true;
      next.callerName = text(pick(result, 'name', 'full_name', 'account.name', 'account.full_name')) ?? next.callerName;
      return next;
    }
    case 'lookup_order': {
      const orderId = text(pick(result, 'order_id', 'id', 'order.id', 'order.order_id'));
      if (!failed && orderId) next.orderId = orderId.toUpperCase();
      return next;
    }
    default:
      return next;
  }
}

export function introductionFromPrompt(prompt: string): string | undefined {
  const firstLine = prompt
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  if (!firstLine) return undefined;
  const line = firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine;
  const youAre = /^you are\s+(.+?)[.!]?$/i.exec(line);
  if (youAre) return `Hi, this is ${youAre[1]}.`;
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

// ---------- what the brain says ----------

export function respondToCaller(memory: BrainMemory, utterance: string, context: BrainContext): BrainTurn {
  let next: BrainMemory = { ...memory };
  const calls: BrainToolCall[] = [];
  const has = (name: string) => context.toolNames.includes(name);

  const email = EMAIL.exec(utterance)?.[0].toLowerCase();
  const awaitingPostcode = !email && next.email !== undefined && !next.accountVerified && next.postcode === undefined;
  const postcode = postcodeIn(utterance, awaitingPostcode);
  if (postcode) next.postcode = postcode;
  const canVerify = has('lookup_account_by_email') && !next.verificationLocked;
  let lookingUp = false;
  let askingPostcode = false;
  if (email && (email !== next.email || !next.accountVerified)) {
    next = { ...next, email, accountVerified: false, accountId: undefined, callerName: undefined };
    if (canVerify && next.postcode) lookingUp = true;
    else if (canVerify) askingPostcode = true;
  } else if (postcode && next.email && !next.accountVerified && canVerify) {
    lookingUp = true;
  }
  if (lookingUp) calls.push({ name: 'lookup_account_by_email', arguments: { email: next.email, postcode: next.postcode } });
  const orderId = ORDER_ID.exec(utterance)?.[0].toUpperCase();
  if (orderId) next.orderId = orderId;

  let intent = actedOn(detectIntent(utterance), context);
  if (intent) {
    next.pendingIntent = intent;
    next.pendingRequest = utterance;
  } else if (email || orderId || postcode) {
    // The caller is answering our question: carry on with what they asked before.
    intent = actedOn(next.pendingIntent, context) ?? (orderId ? 'order_status' : undefined);
    if (intent && !next.pendingIntent) {
      next.pendingIntent = intent;
      next.pendingRequest = utterance;
    }
  }

  const lead = context.introduction ? [context.introduction] : [];
  if (!intent) {
    if (lookingUp) return { memory: next, text: join(...lead, TRANSITION_PHRASE), toolCalls: calls };
    if (askingPostcode) return { memory: next, text: join(...lead, `Thanks. ${ASK_POSTCODE}`), toolCalls: calls };
    if (postcode && !next.email && canVerify) return { memory: next, text: join(...lead, `Thanks. ${ASK_EMAIL}`), toolCalls: calls };
    return { memory: next, text: join(...lead, smallTalk(utterance, email !== undefined)), toolCalls: calls };
  }
  if (askingPostcode && ACCOUNT_INTENTS.has(intent)) {
    // Verify before acting on (or handing over) a request about the account.
    return { memory: next, text: join(...lead, `Thanks. ${ASK_POSTCODE}`), toolCalls: calls };
  }

  const plan = planIntent(next, intent, context, { excludedTools: [], lookingUp });
  next = plan.memory;
  calls.push(...plan.toolCalls);
  const spoken = calls.length > 0 ? (plan.text ?? TRANSITION_PHRASE) : (plan.text ?? OFFER_HELP);
  return { memory: next, text: join(...lead, spoken), toolCalls: calls };
}

export function respondToToolResults(memory: BrainMemory, outcomes: readonly ToolOutcome[], context: BrainContext): BrainTurn {
  let next: BrainMemory = { ...memory };
  const parts: string[] = context.introduction ? [context.introduction] : [];
  for (const outcome of outcomes) {
    const description = describeToolOutcome(outcome);
    if (description) parts.push(description);
  }

  const intent = next.pendingIntent;
  if (intent && outcomes.some((outcome) => outcome.name === FULFILLING_TOOL[intent])) {
    next = { ...next, pendingIntent: undefined, pendingRequest: undefined };
  }
  const failedTransfer = outcomes.some((outcome) => isTransfer(outcome.name) && parseResult(outcome.result)?.error !== undefined);
  const pending = actedOn(next.pendingIntent, context);
  if (pending && !failedTransfer) {
    // Never call a transfer just answered: a handoff that did not swap the tools must not loop.
    const answered = outcomes.map((outcome) => outcome.name).filter(isTransfer);
    const plan = planIntent(next, pending, context, { excludedTools: answered, lookingUp: false });
    next = plan.memory;
    if (plan.toolCalls.length > 0) {
      parts.push(plan.text ?? TRANSITION_PHRASE);
      return { memory: next, text: join(...parts), toolCalls: plan.toolCalls };
    }
    if (plan.text) {
      parts.push(plan.text);
      return { memory: next, text: join(...parts), toolCalls: [] };
    }
  }
  parts.push(ANYTHING_ELSE);
  return { memory: next, text: join(...parts), toolCalls: [] };
}

// Asked to speak with no caller turn to answer: a goodbye, a check that the caller is still there or a greeting
// when the instructions ask for one (first match in that order), else a status update.
export function respondToReplyRequest(memory: BrainMemory, context: BrainContext, instructions?: string): BrainTurn {
  if (instructions && /\bgoodbye\b/i.test(instructions)) return { memory, text: 'Thank you for calling. Goodbye!', toolCalls: [] };
  if (instructions && /still there/i.test(instructions)) return { memory, text: 'Are you still there?', toolCalls: [] };
  if (instructions && /did not go through|could not be placed/i.test(instructions)) {
    return {
      memory,
      text: "I'm sorry, nobody could take your call just now. Would you like me to open a ticket so the team calls you back?",
      toolCalls: [],
    };
  }
  const lead = context.introduction ? [context.introduction] : [];
  if (instructions && /\bgreet\b/i.test(instructions)) return { memory, text: join(...lead, OFFER_HELP), toolCalls: [] };
  return { memory, text: join(...lead, "Thanks for your patience, I'm still working on that."), toolCalls: [] };
}

// Asked to speak before the caller said anything: who the prompt says we are, and an offer of help.
export function respondToGreetingRequest(memory: BrainMemory, prompt: string): BrainTurn {
  return { memory, text: join(introductionFromPrompt(prompt) ?? '', OFFER_HELP), toolCalls: [] };
}

export function describeToolOutcome(outcome: ToolOutcome): string {
  const result = parseResult(outcome.result);
  if (!result) return "I'm sorry, I got an answer I couldn't read from our system.";
  if (result.error !== undefined) {
    const code = typeof result.error === 'string' ? result.error : (text(pick(result, 'error.code')) ?? 'unknown_error');
    return `I'm sorry, I couldn't complete that (${code}).`;
  }
  switch (outcome.name) {
    case 'lookup_account_by_email': {
      const accountId = text(pick(result, 'account_id', 'accountId', 'account.id', 'account.account_id', 'id'));
      const name = firstName(text(pick(result, 'name', 'full_name', 'account.name', 'account.full_name')));
      if (!accountId) return "I'm sorry, I couldn't verify that account.";
      return `Thanks${name ? ` ${name}` : ''}, I've verified your account ${accountId}.`;
    }
    case 'lookup_order':
      return describeOrder(result, outcome.arguments);
    case 'list_recent_orders': {
      const orders = pick(result, 'orders');
      const ids = Array.isArray(orders) ? orders.map((order) => text(pick(asObject(order), 'order_id', 'id'))).filter(isString) : [];
      return ids.length > 0 ? `Your recent orders are ${listOf(ids)}.` : "I don't see any recent orders on your account.";
    }
    case 'check_billing':
      return describeBilling(result);
    case 'process_refund': {
      const refund = asObject(pick(result, 'refund')) ?? result;
      const orderId = text(pick(refund, 'order_id', 'orderId')) ?? text(outcome.arguments.order_id);
      const amount = money(pick(refund, 'amount', 'amount_usd', 'total')) ?? money(cents(pick(refund, 'amount_cents')));
      const status = text(pick(refund, 'status')) ?? 'submitted';
      return `Your refund${amount ? ` of ${amount}` : ''}${orderId ? ` for order ${orderId}` : ''} is ${status}.`;
    }
    case 'search_faq':
      return describeFaq(result);
    case 'create_ticket': {
      const ticketId = text(pick(result, 'ticket_id', 'ticketId', 'id', 'ticket.id', 'ticket.ticket_id'));
      return ticketId ? `I've opened ticket ${ticketId} for you.` : "I've opened a ticket for you.";
    }
    default:
      return isTransfer(outcome.name) ? '' : "Okay, that's done.";
  }
}

// ---------- planning ----------

// The intent the brain acts on: none for a request for a person while it is told to miss those.
function actedOn(intent: Intent | undefined, context: BrainContext): Intent | undefined {
  return intent === 'human' && context.ignoreRequestsForPeople ? undefined : intent;
}

interface Plan {
  memory: BrainMemory;
  toolCalls: BrainToolCall[];
  // What to say; undefined means "the transition phrase" when calling tools.
  text?: string;
}

function planIntent(
  memory: BrainMemory,
  intent: Intent,
  context: BrainContext,
  options: { excludedTools: readonly string[]; lookingUp: boolean },
): Plan {
  const has = (name: string) => context.toolNames.includes(name);
  const transfer = (name: string): Plan => ({
    memory,
    toolCalls: [{ name, arguments: { reason: TRANSFER_REASON[intent], summary: summarise(memory, intent) } }],
    text: `One moment, I'll connect you with ${DEPARTMENT_NAME[name] ?? 'the right team'}.`,
  });
  const canTransfer = (name: string) => has(name) && !options.excludedTools.includes(name);
  const askForAccount = (what: string): Plan => {
    if (options.lookingUp) return { memory, toolCalls: [], text: TRANSITION_PHRASE };
    if (memory.verificationLocked) return { memory, toolCalls: [], text: VERIFICATION_LOCKED };
    const ask = memory.email ? ASK_POSTCODE : memory.postcode ? ASK_EMAIL : ASK_EMAIL_AND_POSTCODE;
    return { memory, toolCalls: [], text: `${what} ${ask}` };
  };

  switch (intent) {
    case 'human':
      if (canTransfer('transfer_to_human')) return transfer('transfer_to_human');
      if (canTransfer('transfer_to_escalation')) return transfer('transfer_to_escalation');
      return { memory, toolCalls: [], text: "I can't transfer you from here, but I'll do my best to help." };

    case 'refund':
      if (has('process_refund')) {
        if (!memory.accountVerified) return askForAccount('I can help with that refund.');
        if (!memory.orderId)
          return { memory, toolCalls: [], text: 'Which order would you like refunded? Please tell me the order number.' };
        return {
          memory,
          toolCalls: [{ name: 'process_refund', arguments: { order_id: memory.orderId, reason: 'caller requested a refund' } }],
        };
      }
      if (canTransfer('transfer_to_refund')) return transfer('transfer_to_refund');
      return { memory, toolCalls: [], text: "I'm not able to process refunds here." };

    case 'billing':
      if (has('check_billing')) {
        if (!memory.accountVerified || !memory.accountId) return askForAccount('I can help with your bill.');
        return { memory, toolCalls: [{ name: 'check_billing', arguments: { account_id: memory.accountId } }] };
      }
      if (canTransfer('transfer_to_billing')) return transfer('transfer_to_billing');
      return { memory, toolCalls: [], text: "I'm not able to look at billing here." };

    case 'order_status':
      if (!memory.orderId) return { memory, toolCalls: [], text: "What's the order number? It starts with ORD." };
      if (has('lookup_order')) return { memory, toolCalls: [{ name: 'lookup_order', arguments: { order_id: memory.orderId } }] };
      return { memory, toolCalls: [], text: "I'm not able to look up orders here." };

    case 'faq':
      if (has('search_faq')) return { memory, toolCalls: [{ name: 'search_faq', arguments: { query: memory.pendingRequest ?? '' } }] };
      if (canTransfer('transfer_to_faq')) return transfer('transfer_to_faq');
      return { memory, toolCalls: [], text: "I'm not able to answer general questions here." };

    case 'ticket':
      if (has('create_ticket')) {
        return { memory, toolCalls: [{ name: 'create_ticket', arguments: { summary: summarise(memory, intent), category: 'general' } }] };
      }
      return { memory, toolCalls: [], text: "I'm not able to open tickets here." };
  }
}

function summarise(memory: BrainMemory, intent: Intent): string {
  const name = firstName(memory.callerName);
  const who = name
    ? `${name}${memory.accountId ? ` (${memory.accountId})` : ''}`
    : memory.accountId
      ? `Caller (${memory.accountId})`
      : memory.email
        ? `Caller (${memory.email})`
        : 'Caller';
  const order = memory.orderId ? ` ${memory.orderId}` : '';
  switch (intent) {
    case 'billing':
      return `${who} asked about a charge on their bill${order ? ` (order${order})` : ''}`;
    case 'refund':
      return `${who} wants a refund${order ? ` for order${order}` : ''}`;
    case 'human':
      return `${who} asked to speak with a person`;
    case 'order_status':
      return `${who} asked about order${order || ' status'}`;
    case 'faq':
      return `${who} asked: "${(memory.pendingRequest ?? '').trim()}"`;
    case 'ticket':
      return `${who} asked for a support ticket${memory.pendingRequest ? `: "${memory.pendingRequest.trim()}"` : ''}`;
  }
}

function postcodeIn(utterance: string, answeringQuestion: boolean): string | undefined {
  const found = LABELLED_POSTCODE.exec(utterance) ?? (answeringQuestion ? BARE_POSTCODE.exec(utterance) : null);
  return found?.[1].toUpperCase().replace(/\s+/g, ' ');
}

function smallTalk(utterance: string, gaveEmail: boolean): string {
  const lower = utterance.toLowerCase();
  if (/\b(bye|goodbye|that's all|that is all|nothing else)\b/.test(lower)) return 'Thanks for calling. Goodbye!';
  if (/\bthank/.test(lower)) return `You're welcome! ${ANYTHING_ELSE}`;
  if (gaveEmail) return "Thanks, I've noted your email. What can I do for you?";
  return OFFER_HELP;
}

// ---------- describing results ----------

function describeOrder(result: Record<string, unknown>, args: Record<string, unknown>): string {
  const order = asObject(pick(result, 'order')) ?? result;
  const orderId = text(pick(order, 'order_id', 'id')) ?? text(args.order_id) ?? 'your order';
  const status = text(pick(order, 'status'));
  const eta = text(pick(order, 'eta', 'estimated_delivery', 'delivery_date', 'expected_delivery'));
  const tracking = text(pick(order, 'tracking', 'tracking_number'));
  let sentence = `Order ${orderId}${status ? ` is ${status}` : ' was found'}`;
  if (eta) sentence += `, arriving ${eta}`;
  if (tracking) sentence += `, tracking ${tracking}`;
  return `${sentence}.`;
}

function describeBilling(result: Record<string, unknown>): string {
  const billing = asObject(pick(result, 'billing')) ?? result;
  const balance =
    money(pick(billing, 'balance', 'balance_due', 'amount_due', 'balance.amount')) ?? money(cents(pick(billing, 'balance_cents')));
  const invoices = pick(billing, 'invoices');
  const parts: string[] = [balance ? `Your current balance is ${balance}.` : 'I have your billing details.'];
  if (Array.isArray(invoices) && invoices.length > 0) {
    const latest = asObject(invoices[0]);
    const latestId = text(pick(latest, 'invoice_id', 'id'));
    const latestAmount = money(pick(latest, 'amount', 'total')) ?? money(cents(pick(latest, 'amount_cents')));
    parts.push(
      `You have ${invoices.length} invoice${invoices.length === 1 ? '' : 's'} on file${latestId ? `; the latest is ${latestId}${latestAmount ? ` for ${latestAmount}` : ''}` : ''}.`,
    );
  }
  return parts.join(' ');
}

function describeFaq(result: Record<string, unknown>): string {
  const direct = text(pick(result, 'answer'));
  if (direct) return direct;
  for (const key of ['results', 'matches', 'entries', 'faqs', 'articles']) {
    const list = pick(result, key);
    if (Array.isArray(list) && list.length > 0) {
      const answer = text(pick(asObject(list[0]), 'answer', 'text', 'content', 'body'));
      if (answer) return answer;
    }
  }
  return "I couldn't find anything about that in our help articles.";
}

// ---------- small helpers ----------

function parseResult(result: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(result));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

// First present value among dotted paths.
function pick(source: Record<string, unknown> | undefined, ...paths: string[]): unknown {
  for (const path of paths) {
    let value: unknown = source;
    for (const key of path.split('.')) value = asObject(value)?.[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

function cents(value: unknown): number | undefined {
  return typeof value === 'number' ? value / 100 : undefined;
}

function money(value: unknown): string | undefined {
  if (typeof value === 'number') return `$${value.toFixed(2)}`;
  if (typeof value === 'string' && value.trim() !== '')
    return /^\d+(\.\d+)?$/.test(value.trim()) ? `$${Number(value).toFixed(2)}` : value.trim();
  const object = asObject(value);
  if (object) return money(object.amount);
  return undefined;
}

function firstName(name: string | undefined): string | undefined {
  return name?.split(/\s+/)[0];
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function isTransfer(name: string): boolean {
  return name.startsWith('transfer_to_');
}

function join(...parts: string[]): string {
  return parts.filter((part) => part.trim() !== '').join(' ');
}
