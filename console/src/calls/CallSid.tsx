/** A Twilio call SID in monospace; shortened to its ends where room is scarce, whole on hover. */
export function CallSid({ callSid, short = true }: { callSid: string; short?: boolean }) {
  const shortened = short && callSid.length > 14 ? `${callSid.slice(0, 6)}…${callSid.slice(-4)}` : callSid;
  return (
    <span className="mono" title={shortened === callSid ? undefined : callSid}>
      {shortened}
    </span>
  );
}
