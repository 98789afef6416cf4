/**
 * The shape of src/ as ARCHITECTURE.md draws it: no import cycles, and each layer imports only
 * the layers below it (domain: pure rules; backends: never cli/commands/serve; serve: never
 * cli/commands). The graph comes from scripts/check-cycles.mjs (`node scripts/check-cycles.mjs`
 * prints the same findings).
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script, run by node as well; no declarations
import { findCycles, importGraph, importsOf, layerViolations } from '../../scripts/check-cycles.mjs';

type Graph = Map<string, { to: string; runtime: boolean; lazy: boolean }[]>;
const path = (c: string[]) => c.join(' -> ');


describe('the import graph of src/', () => {
  const graph: Graph = importGraph();

  it('reads the real graph (the command table, the program, the backends)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/cli/program.ts')?.map((e) => e.to)).toContain('src/commands/index.ts');
    expect(graph.get('src/commands/index.ts')?.map((e) => e.to)).toContain('src/commands/secret/index.ts');
    expect(graph.get('src/config/parse.ts')?.map((e) => e.to)).toContain('smol-toml'); // packages too, for the layer rules
  });

  it('has no import cycle of any kind: static, lazy import() or type imports', () => {
    const cycles: string[] = findCycles(graph).map(path);
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('each layer imports only the layers below it', () => {
    const problems: string[] = layerViolations(graph);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

describe('the checker', () => {
  const g = (edges: [string, string, boolean?][]): Graph => {
    const m: Graph = new Map();
    for (const [from, to, lazy] of edges) {
      if (!m.has(from)) m.set(from, []);
      if (!m.has(to)) m.set(to, []);
      m.get(from)!.push({ to, runtime: true, lazy: Boolean(lazy) });
    }
    return m;
  };

  it('names each cycle as a path', () => {
    expect(findCycles(g([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']])).map(path)).toEqual(['a -> b -> c -> a']);
    expect(findCycles(g([['a', 'b'], ['b', 'c']]))).toEqual([]);
    expect(findCycles(g([['a', 'b'], ['b', 'a', true]]), { lazy: false })).toEqual([]);
    expect(findCycles(g([['a', 'b'], ['b', 'a', true]])).map(path)).toEqual(['a -> b -> a']);
  });

  it('counts an import of types only as an edge (and leaves it out on request)', () => {
    const m: Graph = new Map([
      ['a', [{ to: 'b', runtime: true, lazy: false }]],
      ['b', [{ to: 'a', runtime: false, lazy: false }]],
    ]);
    expect(findCycles(m).map(path)).toEqual(['a -> b -> a']);
    expect(findCycles(m, { types: false })).toEqual([]);
  });

  it('tells imports that load a module from those that bring types only', () => {
    const found = importsOf(
      [
        "import { a } from './a.js';",
        "import type { B } from './b.js';",
        "import { type C, type D } from './c.js';",
        "import { type E, e } from './e.js';",
        "export { f } from './f.js';",
        "export type { G } from './g.js';",
        'import {\n  h,\n  i,\n} from "./h.js";',
        "const j = await import('./j.js');",
        "let k: import('./k.js').K;",
        "import { readFileSync } from 'node:fs';",
        "import './side-effect.js';",
      ].join('\n'),
    );
    expect(found).toEqual([
      { spec: './a.js', runtime: true, lazy: false },
      { spec: './b.js', runtime: false, lazy: false },
      { spec: './c.js', runtime: false, lazy: false },
      { spec: './e.js', runtime: true, lazy: false },
      { spec: './f.js', runtime: true, lazy: false },
      { spec: './g.js', runtime: false, lazy: false },
      { spec: './h.js', runtime: true, lazy: false },
      { spec: './j.js', runtime: true, lazy: true },
      { spec: './k.js', runtime: false, lazy: false },
      { spec: './side-effect.js', runtime: true, lazy: false },
    ]);
  });

  it('finds an import across a layer rule', () => {
    const m: Graph = new Map([
      ['src/domain/x.ts', [{ to: 'src/backends/types.ts', runtime: false, lazy: false }, { to: 'src/cli/context.ts', runtime: false, lazy: false }]],
      ['src/backends/y.ts', [{ to: 'src/commands/index.ts', runtime: true, lazy: true }, { to: 'src/domain/x.ts', runtime: true, lazy: false }]],
      ['src/serve/z.ts', [{ to: 'src/backends/y.ts', runtime: true, lazy: false }, { to: 'src/main.ts', runtime: true, lazy: false }]],
    ]);
    expect(layerViolations(m)).toEqual([
      expect.stringMatching(/^src\/backends\/y\.ts -> src\/commands\/index\.ts \(backends never import/),
      expect.stringMatching(/^src\/domain\/x\.ts -> src\/cli\/context\.ts \(domain rules are pure/),
      expect.stringMatching(/^src\/serve\/z\.ts -> src\/main\.ts \(serve never imports/),
    ]);
  });

  it('holds io, config, typegen and the shared leaves (errors.ts, redact.ts, exit.ts) below the layers that use them, and main.ts to cli.ts', () => {
    const e = (to: string, lazy = false) => ({ to, runtime: true, lazy });
    const m: Graph = new Map([
      ['src/io/a.ts', [e('src/backends/names.ts'), e('src/cli/output.ts'), e('src/config/load.ts')]],
      ['src/config/b.ts', [e('src/domain/names.ts'), e('src/io/io.ts'), e('src/commands/index.ts')]],
      ['src/typegen/c.ts', [e('src/config/raw.ts'), e('src/backends/types.ts')]],
      ['src/errors.ts', [e('src/redact.ts'), e('src/backends/types.ts')]],
      ['src/redact.ts', [e('src/cli/output.ts')]],
      ['src/exit.ts', [e('src/errors.ts')]],
      ['src/backends/d.ts', [e('src/crash.ts'), e('src/main.ts', true)]],
      ['src/crash.ts', [e('src/cli/output.ts'), e('src/main.ts')]],
      ['src/cli.ts', [e('src/main.ts', true)]],
      ['src/main.ts', [e('src/crash.ts')]],
      ['src/commands/x.ts', [e('src/crash.ts')]],
    ]);
    expect(layerViolations(m)).toEqual([
      expect.stringMatching(/^src\/backends\/d\.ts -> src\/crash\.ts \(backends never import/),
      expect.stringMatching(/^src\/backends\/d\.ts -> src\/main\.ts \(backends never import/), // once, under the first rule
      expect.stringMatching(/^src\/commands\/x\.ts -> src\/crash\.ts \(nothing below main\.ts imports cli\.ts or crash\.ts/),
      expect.stringMatching(/^src\/config\/b\.ts -> src\/commands\/index\.ts \(config \(wrangler config\) sits below/),
      expect.stringMatching(/^src\/config\/b\.ts -> src\/io\/io\.ts \(config/),
      expect.stringMatching(/^src\/crash\.ts -> src\/main\.ts \(only cli\.ts/),
      expect.stringMatching(/^src\/errors\.ts -> src\/backends\/types\.ts \(errors\.ts and redact\.ts are used by all/),
      expect.stringMatching(/^src\/exit\.ts -> src\/errors\.ts \(exit\.ts/),
      expect.stringMatching(/^src\/io\/a\.ts -> src\/cli\/output\.ts \(io \(the terminal, stdin\) sits below/),
      expect.stringMatching(/^src\/io\/a\.ts -> src\/config\/load\.ts \(io/),
      expect.stringMatching(/^src\/redact\.ts -> src\/cli\/output\.ts \(errors\.ts and redact\.ts/),
      expect.stringMatching(/^src\/typegen\/c\.ts -> src\/backends\/types\.ts \(typegen/),
    ]);
  });

  it('keeps domain/ pure: no package or node: module, nothing outside domain/ but types from backends/types.ts', () => {
    type Edge = { to: string; runtime: boolean; lazy: boolean; pkg?: boolean };
    const m = new Map<string, Edge[]>([
      [
        'src/domain/x.ts',
        [
          { to: 'src/domain/y.ts', runtime: true, lazy: false },
          { to: 'src/backends/types.ts', runtime: false, lazy: false },
          { to: 'src/backends/types.ts', runtime: true, lazy: false },
          { to: 'src/errors.ts', runtime: true, lazy: false },
          { to: 'node:fs', runtime: true, lazy: false, pkg: true },
        ],
      ],
      ['src/backends/z.ts', [{ to: 'src/config/load.ts', runtime: true, lazy: true }, { to: 'zod', runtime: true, lazy: false, pkg: true }]],
      ['src/commands/c.ts', [{ to: 'src/main.ts', runtime: false, lazy: false }]],
    ]);
    expect(layerViolations(m)).toEqual([
      expect.stringMatching(/^src\/backends\/z\.ts -> src\/config\/load\.ts \(backends never import/),
      expect.stringMatching(/^src\/commands\/c\.ts -> src\/main\.ts \(only cli\.ts/),
      expect.stringMatching(/^src\/domain\/x\.ts -> node:fs \(domain rules are pure/),
      expect.stringMatching(/^src\/domain\/x\.ts -> src\/backends\/types\.ts \(domain rules are pure/),
      expect.stringMatching(/^src\/domain\/x\.ts -> src\/errors\.ts \(domain rules are pure/),
    ]);
    expect(importsOf("import { readFile } from 'node:fs/promises';\nimport { a } from './a.js';", 'x.ts', { packages: true })).toEqual([
      { spec: 'node:fs/promises', runtime: true, lazy: false },
    ]);
  });
});
