// The name a supervisor gives once per tab: recorded with every supervision action.

/** Per tab, beside the console's session, never in the URL. */
export const SUPERVISOR_NAME_KEY = 'voice-agents-console.supervisor-name';
/** The service takes 1..80 characters. */
export const SUPERVISOR_NAME_MAX = 80;

/** Trimmed, inner runs of whitespace made one space. */
export function normaliseSupervisorName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/** Why a name cannot be used, or null when it can. */
export function supervisorNameProblem(raw: string): string | null {
  const name = normaliseSupervisorName(raw);
  if (name === '') return 'Enter your name.';
  if ([...name].length > SUPERVISOR_NAME_MAX) return `At most ${SUPERVISOR_NAME_MAX} characters.`;
  return null;
}

export function storedSupervisorName(storage: Pick<Storage, 'getItem'>): string | null {
  try {
    const stored = storage.getItem(SUPERVISOR_NAME_KEY);
    return stored !== null && supervisorNameProblem(stored) === null ? normaliseSupervisorName(stored) : null;
  } catch {
    return null;
  }
}

export function storeSupervisorName(storage: Pick<Storage, 'setItem'>, name: string): void {
  try {
    storage.setItem(SUPERVISOR_NAME_KEY, normaliseSupervisorName(name));
  } catch {
    // Storage full or refused: the name is still used for this page.
  }
}
