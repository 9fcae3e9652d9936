/**
 * Runs dependency-cruiser with the repo's .dependency-cruiser.cjs on a throwaway source tree,
 * so a test can show the import rules catch a violation without touching the real src/.
 *
 *   const { probe } = require('./scripts/import-rules-probe');
 *   probe({ 'src/a/x.ts': "import '../b/y';", 'src/b/y.ts': '' }) // => { exitCode, output }
 *
 * Keys are paths relative to the temporary root and should start with `src/` (the config only
 * looks at ^src/). A minimal tsconfig.json is added unless one is given. Synchronous, so it
 * can be called straight from a jest test.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..');
const configPath = path.join(repoRoot, '.dependency-cruiser.cjs');
// The package's "exports" hide bin/ from require.resolve, so point at the installed file.
const depcruiseBin = path.join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

const minimalTsConfig = JSON.stringify({
  compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, experimentalDecorators: true },
  include: ['src/**/*.ts'],
});

function probe(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-rules-probe-'));
  try {
    const all = { 'tsconfig.json': minimalTsConfig, ...files };
    for (const [relative, content] of Object.entries(all)) {
      const target = path.join(root, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    // cwd is the temporary root: the config's ^src/ paths and tsconfig.json resolve against it.
    const result = spawnSync(process.execPath, [depcruiseBin, 'src', '--config', configPath, '--output-type', 'err'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = { probe };
