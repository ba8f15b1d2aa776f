/** Access to fixture runs: real compiler output laid out by scripts/gen-fixtures.sh. */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface FixtureMeta {
  config: string;
  gcc: string;
  gccMajor: number;
  target: 'x86_64' | 'aarch64' | 'armhf' | 'powerpc' | 's390x';
  triplet: string;
  wordSize: 4 | 8;
  endian: 'little' | 'big';
  opt: string;
  cflags: string;
  /** The C++ pair (hv/cxx/, one COMDAT placeholder) is part of the build. */
  cxx: boolean;
  base: string;
  buildDir: string;
  gcov: string;
  gcovDump: string;
  stdout: string;
}

export interface Fixture {
  dir: string;
  meta: FixtureMeta;
  image: Uint8Array;
  elf: Uint8Array;
  /** Reference .gcda written by libgcov, keyed by the absolute path recorded in the image. */
  ref: Map<string, Uint8Array>;
}

export const fixturesRoot = (): string => process.env.HVCOV_FIXTURES ?? join(process.cwd(), 'fixtures/gen');

export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out.sort();
}

export function listFixtures(root = fixturesRoot()): string[] {
  if (!existsSync(root)) throw new Error(`no fixtures at ${root}: run scripts/gen-fixtures.sh`);
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'meta.json')))
    .sort();
}

/** The tree a user drops into the app: the core image, the object tree's .gcno, the sources. */
export function writeDropTree(fx: Fixture, tree: string): string {
  mkdirSync(tree);
  writeFileSync(join(tree, 'image.bin'), fx.image);
  cpSync(join(fx.dir, 'gcno'), join(tree, 'gcno'), { recursive: true });
  cpSync(join(fx.dir, 'src'), join(tree, 'src'), { recursive: true });
  return tree;
}

export function loadFixture(config: string, root = fixturesRoot()): Fixture {
  const dir = join(root, config);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
  const ref = new Map<string, Uint8Array>();
  const refDir = join(dir, 'ref');
  for (const f of walkFiles(refDir)) ref.set('/' + relative(refDir, f), new Uint8Array(readFileSync(f)));
  return {
    dir,
    meta,
    image: new Uint8Array(readFileSync(join(dir, 'image.bin'))),
    elf: new Uint8Array(readFileSync(join(dir, 'hv.elf'))),
    ref,
  };
}
