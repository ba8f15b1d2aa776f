/**
 * The prime path fixture (scripts/gen-paths-fixture.sh: test/fixtures/paths/paths.c built
 * with gcc-15 -fpath-coverage at -O0 and -O2, with gcov-15's --prime-paths JSON), and our
 * JSON for it next to gcov's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readGcda } from '../../src/gcov/gcda-reader';
import type { InputError } from '../../src/gcov/errors';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles, type GcovJsonFile } from '../../src/model/gcov-json';

export const PATHS_CONFIGS = ['O0', 'O2'] as const;

export interface PathsComparison {
  ours: GcovJsonFile[];
  ref: GcovJsonFile[];
  problems: InputError[];
}

/** Our files (with primePaths) and gcov's from `gcovJson`, for `stem`.gcno/.gcda in `dir`. */
export function pathsComparison(dir: string, stem: string, gcovJson: string): PathsComparison {
  const ref = JSON.parse(gcovJson) as { files: GcovJsonFile[] };
  const gcno = readGcno(new Uint8Array(readFileSync(join(dir, `${stem}.gcno`))), `${stem}.gcno`);
  const gcda = readGcda(new Uint8Array(readFileSync(join(dir, `${stem}.gcda`))), `${stem}.gcda`);
  const demangled = new Map<string, string>();
  for (const f of ref.files) for (const fn of f.functions) demangled.set(fn.name, fn.demangled_name);
  const problems: InputError[] = [];
  const cov = computeCoverage(gcno, gcda, `${stem}.gcda`);
  const ours = gcovJsonFiles(cov, { demangle: (n) => demangled.get(n) ?? n, primePaths: true, problems });
  return { ours, ref: ref.files, problems };
}

/** The comparison for one config of a fixture laid out by gen-paths-fixture.sh. */
export const fixtureComparison = (root: string, config: string): PathsComparison =>
  pathsComparison(
    join(root, config),
    'paths',
    gunzipSync(readFileSync(join(root, config, 'paths.gcov.json.gz'))).toString('utf8'),
  );
