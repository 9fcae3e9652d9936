import {
  normaliseSupervisorName,
  storedSupervisorName,
  storeSupervisorName,
  SUPERVISOR_NAME_KEY,
  supervisorNameProblem,
} from './supervisorName';

function memoryStorage(initial: Record<string, string> = {}): Pick<Storage, 'getItem' | 'setItem'> & { values: Record<string, string> } {
  const values = { ...initial };
  return { values, getItem: (key) => values[key] ?? null, setItem: (key, value) => void (values[key] = value) };
}

describe('supervisor name', () => {
  it('is trimmed, with inner whitespace made one space', () => {
    expect(normaliseSupervisorName('  Dana \t  Scully \n')).toBe('Dana Scully');
  });

  it('must be 1..80 characters', () => {
    expect(supervisorNameProblem('   ')).toBe('Enter your name.');
    expect(supervisorNameProblem('Dana')).toBeNull();
    expect(supervisorNameProblem('x'.repeat(80))).toBeNull();
    expect(supervisorNameProblem('x'.repeat(81))).toMatch(/At most 80/);
    expect(supervisorNameProblem(`  ${'x'.repeat(80)}  `)).toBeNull();
  });

  it('is kept under the console key and read back', () => {
    const storage = memoryStorage();
    expect(storedSupervisorName(storage)).toBeNull();
    storeSupervisorName(storage, '  Dana  ');
    expect(storage.values[SUPERVISOR_NAME_KEY]).toBe('Dana');
    expect(SUPERVISOR_NAME_KEY).toMatch(/^voice-agents-console\./);
    expect(storedSupervisorName(storage)).toBe('Dana');
  });

  it('ignores a stored name that is not usable, and storage that throws', () => {
    expect(storedSupervisorName(memoryStorage({ [SUPERVISOR_NAME_KEY]: '   ' }))).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(storedSupervisorName(throwing)).toBeNull();
    expect(() => storeSupervisorName(throwing, 'Dana')).not.toThrow();
  });
});
