// The import rules of .dependency-cruiser.cjs (`npm run lint:imports`), run on throwaway trees:
// they must pass a clean tree and fail each kind of forbidden import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { probe } = require('../../../scripts/import-rules-probe') as {
  probe(files: Record<string, string>): { exitCode: number; output: string };
};

const SESSIONS = { 'src/sessions/y.ts': 'export class Y {}\n' };

describe('import rules', () => {
  it('pass a tree whose imports follow the layers', () => {
    const result = probe({
      ...SESSIONS,
      'src/sessions/z.ts': "import { C } from '../common/c';\nexport const z = C;\n",
      'src/common/c.ts': 'export const C = 1;\n',
    });
    expect(result).toEqual({ exitCode: 0, output: expect.any(String) });
  });

  it('fail a backward import, naming the rule and the file', () => {
    const result = probe({
      ...SESSIONS,
      'src/persistence/entities/x.entity.ts': "import { Y } from '../../sessions/y';\nexport const x = new Y();\n",
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('persistence-allowed-imports');
    expect(result.output).toContain('src/sessions/y.ts');
  });

  it('count a type-only import as a dependency', () => {
    const result = probe({
      ...SESSIONS,
      'src/persistence/entities/x.entity.ts': "import type { Y } from '../../sessions/y';\nexport let x: Y | undefined;\n",
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('persistence-allowed-imports');
  });

  it('fail a cycle inside one folder', () => {
    const result = probe({
      'src/auth/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/auth/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });

  it('fail a folder that has no place in the layers', () => {
    const result = probe({
      'src/newthing/x.ts': "import { C } from '../common/c';\nexport const x = C;\n",
      'src/common/c.ts': 'export const C = 1;\n',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('every-folder-has-a-layer');
  });
});
