#!/usr/bin/env bash
# Proves the import rules fail on a backward import (persistence -> sessions), using
# scripts/import-rules-probe.js on a temporary tree; src/ itself is never touched.
# Also runs a clean tree first, so a broken config (which fails every run) cannot pass for a catch.
set -euo pipefail
cd "$(dirname "$0")/.."

node - <<'EOF'
const { probe } = require('./scripts/import-rules-probe');

const sessionsFile = { 'src/sessions/y.ts': 'export class Y {}\n' };
const cases = [
  {
    name: 'clean tree (sessions -> common) passes',
    files: { ...sessionsFile, 'src/sessions/z.ts': "import { C } from '../common/c';\nexport const z = C;\n", 'src/common/c.ts': 'export const C = 1;\n' },
    expectFailure: false,
  },
  {
    name: 'backward import (persistence -> sessions) fails',
    files: { ...sessionsFile, 'src/persistence/entities/x.entity.ts': "import { Y } from '../../sessions/y';\nexport const x = new Y();\n" },
    expectFailure: true,
  },
  {
    // tsPreCompilationDeps: a type-only import is erased by tsc but is still a dependency.
    name: 'backward `import type` (persistence -> sessions) fails',
    files: { ...sessionsFile, 'src/persistence/entities/x.entity.ts': "import type { Y } from '../../sessions/y';\nexport let x: Y | undefined;\n" },
    expectFailure: true,
  },
];

let failed = 0;
for (const { name, files, expectFailure } of cases) {
  const { exitCode, output } = probe(files);
  const ok = expectFailure
    ? exitCode !== 0 && output.includes('persistence-allowed-imports') && output.includes('src/sessions/y.ts')
    : exitCode === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'}: ${name} (exit ${exitCode})`);
  if (!ok) console.log(output.replace(/^/gm, '    '));
}
console.log(failed ? `FAIL: ${failed} of ${cases.length} checks` : `PASS: all ${cases.length} checks`);
process.exit(failed ? 1 : 0);
EOF
