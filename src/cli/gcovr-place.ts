/** Where gcovr would run gcov for each object of a build on disk (see gcovrDirectory). */
import { resolve } from 'node:path';
import { gcovrDirectory, type GcovrPlace } from '../model/gcovr-view';
import type { PathExists } from '../model/source-name';

/**
 * gcovr runs on the .gcda (or, without one, the .gcno) where it lies: object names are
 * relative to the --build folder, data names to the --gcda folder. An object whose files are
 * not on disk (an archive, data from an image) keeps the report's folder.
 */
export function gcovrPlace(
  root: string,
  exists: PathExists,
  folders: { build: string; gcda: string | undefined },
): GcovrPlace {
  return (o, files) => {
    const candidates = [resolve(folders.build, o.notes)];
    if (o.image === undefined && o.data !== undefined && folders.gcda !== undefined)
      candidates.unshift(resolve(folders.gcda, o.data));
    const object = candidates.find((p) => exists(p));
    if (object === undefined) return undefined;
    const names = files.filter((f) => f.lines.length > 0).map((f) => f.file);
    return gcovrDirectory(object, names, root, exists) ?? null;
  };
}
