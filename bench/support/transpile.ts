import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/*
 * The bench's own processes (peer, load generator, forwarder) run as plain JavaScript, like
 * the service runs from dist/: under ts-node each would carry the TypeScript compiler in its
 * heap (about 100 MB RSS and longer GC pauses), which would tax the baseline and the
 * measuring peers. This transpiles an entry point and the relative imports it reaches
 * (transpile-only, no type check) into outDirectory, mirroring paths under the repo root so
 * node_modules still resolve.
 */

const IMPORT_PATTERN = /(?:from\s+|import\s+|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export function transpileEntryPoints(repoRoot: string, entries: readonly string[], outDirectory: string): Map<string, string> {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: false,
    sourceMap: false,
  };
  const done = new Set<string>();
  const outputs = new Map<string, string>();
  const queue = entries.map((entry) => resolve(entry));
  for (let guard = 0; queue.length > 0 && guard < 500; guard++) {
    const file = queue.shift() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const output = join(outDirectory, relative(repoRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, ts.transpileModule(source, { compilerOptions, fileName: file }).outputText);
    outputs.set(file, output);
    for (const match of source.matchAll(IMPORT_PATTERN)) {
      const target = resolve(dirname(file), match[1]);
      const candidate = [`${target}.ts`, join(target, 'index.ts')].find((path) => existsSync(path));
      if (candidate && !done.has(candidate)) queue.push(candidate);
    }
  }
  return outputs;
}
