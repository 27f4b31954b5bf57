// The folders of packages/cli/src import downwards only (docs/development.md, "folders, and which may import which"):
// read from the sources, so a new import that runs up the layers, or across between siblings, fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Top to bottom; a folder may import its own files and those of any folder on a later line. */
const LAYERS: readonly (readonly string[])[] = [
  ['main'],
  ['argv'],
  ['commands'],
  ['exec', 'login', 'rotate', 'config-files'],
  ['credentials'],
  ['aws', 'vault-access'],
  ['agent'],
  ['io'],
  ['errors', 'version'],
];

function layerOf(folder: string): number {
  const layer = LAYERS.findIndex((names) => names.includes(folder));
  if (layer < 0) throw new Error(`${folder}/ is in no layer: add it to LAYERS and to docs/development.md`);
  return layer;
}

/** The folder a source file belongs to; main.ts and bin.ts are the top, version.ts a leaf anyone may read. */
function folderOf(file: string): string {
  const [first = '', ...rest] = relative(SRC, file).split('/');
  if (rest.length > 0) return first;
  return first === 'version.ts' ? 'version' : 'main';
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.(test|fixture)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import of a file, static or dynamic, as the source file it names. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

describe('packages/cli/src layers', () => {
  const files = sources(SRC);

  it('finds the sources and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf(join(SRC, 'main.ts')).length).toBeGreaterThan(0);
  });

  it('imports only within a folder or downwards, never up and never across', () => {
    const wrong = files.flatMap((file) =>
      importsOf(file).flatMap((target) => {
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from === to || layerOf(to) > layerOf(from)) return [];
        return [`${relative(SRC, file)} -> ${relative(SRC, target)} (${from}/ may not import ${to}/)`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('has every folder in a layer', () => {
    const folders = new Set(files.map(folderOf));
    for (const folder of folders) expect(() => layerOf(folder)).not.toThrow();
  });
});
