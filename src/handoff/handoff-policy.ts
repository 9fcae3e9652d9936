export enum HandoffRefusalCode {
  UnknownDepartment = 'UNKNOWN_DEPARTMENT',
  NotAHandoffTarget = 'NOT_A_HANDOFF_TARGET',
  SameDepartment = 'SAME_DEPARTMENT',
  PingPong = 'PING_PONG',
  TooManyHandoffs = 'TOO_MANY_HANDOFFS',
  TransferAlreadyPending = 'TRANSFER_ALREADY_PENDING',
}

export interface AppliedHop {
  from: string;
  to: string;
}

/** What the policy needs of a department (an agent config is one). */
export interface Department {
  key: string;
  displayName: string;
  handoffTargets: readonly string[];
}

export interface HandoffRequestContext {
  current: Department;
  targetKey: string;
  target: Department | undefined;
  appliedHops: readonly AppliedHop[];
  maxHandoffs: number;
  transferPendingInThisReply: boolean;
}

export type HandoffDecision = { allowed: true } | { allowed: false; code: HandoffRefusalCode; message: string };

/**
 * Whether a transfer may go ahead. Ping-pong: the caller already went from -> to and back;
 * going a second time is refused (one return trip is fine, bouncing is not).
 */
export function decideHandoff(context: HandoffRequestContext): HandoffDecision {
  const { current, targetKey, target } = context;
  if (context.transferPendingInThisReply) {
    return refuse(
      HandoffRefusalCode.TransferAlreadyPending,
      'Another transfer in this reply is already being applied; only one transfer per reply.',
    );
  }
  if (!target) return refuse(HandoffRefusalCode.UnknownDepartment, `There is no "${targetKey}" department.`);
  if (target.key === current.key) return refuse(HandoffRefusalCode.SameDepartment, `The caller is already with ${current.displayName}.`);
  if (!current.handoffTargets.includes(target.key)) {
    return refuse(HandoffRefusalCode.NotAHandoffTarget, `${current.displayName} does not hand off to ${target.displayName}.`);
  }
  if (context.appliedHops.length >= context.maxHandoffs) {
    return refuse(
      HandoffRefusalCode.TooManyHandoffs,
      `This call has reached the limit of ${context.maxHandoffs} handoffs; help the caller here or escalate.`,
    );
  }
  const went = context.appliedHops.some((hop) => hop.from === current.key && hop.to === target.key);
  const cameBack = context.appliedHops.some((hop) => hop.from === target.key && hop.to === current.key);
  if (went && cameBack) {
    return refuse(
      HandoffRefusalCode.PingPong,
      `The caller has already been passed between ${current.displayName} and ${target.displayName}; resolve it here or escalate.`,
    );
  }
  return { allowed: true };
}

function refuse(code: HandoffRefusalCode, message: string): HandoffDecision {
  return { allowed: false, code, message };
}
