/**
 * Several .gcda sets dropped at once (one folder or archive per cell or test suite): when
 * they come from different top-level folders and two of them hold a .gcda of the same
 * object, each folder is one run named by the folder, its .gcda named by their path under
 * it (as `hvcov report --run NAME=DIR` names them), so the app merges them as runs.
 */
import type { RunInput } from './runs';

export interface GcdaInput {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The runs, in folder order; undefined when the files are one set (the single-set report). */
export function gcdaRuns(files: readonly GcdaInput[]): RunInput[] | undefined {
  const byFolder = new Map<string, { name: string; bytes: Uint8Array }[]>();
  for (const f of files) {
    const slash = f.path.indexOf('/');
    // a .gcda outside any folder belongs to no run: the files are one set
    if (slash <= 0) return undefined;
    const folder = f.path.slice(0, slash);
    let data = byFolder.get(folder);
    if (!data) byFolder.set(folder, (data = []));
    data.push({ name: f.path.slice(slash + 1), bytes: f.bytes });
  }
  if (byFolder.size < 2) return undefined;
  // an archive of a folder (`tar czf suite-a.tgz suite-a`) names it twice: suite-a/suite-a/…
  for (const [folder, data] of byFolder) {
    const inner = folder + '/';
    if (data.every((d) => d.name.startsWith(inner)))
      byFolder.set(
        folder,
        data.map((d) => ({ name: d.name.slice(inner.length), bytes: d.bytes })),
      );
  }
  // folders of different objects (one build split up) are one set, not runs
  const seen = new Set<string>();
  let shared = false;
  for (const data of byFolder.values()) {
    const names = new Set(data.map((d) => d.name));
    for (const n of names) {
      if (seen.has(n)) shared = true;
      seen.add(n);
    }
  }
  if (!shared) return undefined;
  return [...byFolder.keys()].sort().map((name) => ({ name, data: byFolder.get(name)! }));
}
