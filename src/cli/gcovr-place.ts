/** Where gcovr would run gcov for each object of a build on disk (see gcovrDirectory). */
import { resolve } from 'node:path';
import { gcovrDirectory, type GcovrPlace } from '../model/gcovr-view';
import type { PathExists } from '../model/source-name';

/**
 * gcovr runs on the .gcda beside its .gcno (gcov finds one from the other there), so the
 * folders it tries start from the .gcno's; object names are relative to the --build folder.
 * Taking the .gcno's folder also serves data from an image or a separate --gcda folder, which
 * gcovr cannot read at all. An object whose notes are not on disk (an archive) keeps the
 * report's folder. `leftOut` hears of each object gcovr would leave out, with a source name gcov
 * cannot open.
 */
export function gcovrPlace(
  root: string,
  exists: PathExists,
  build: string,
  leftOut: (notes: string, name: string) => void,
): GcovrPlace {
  return (o, printed) => {
    const notes = resolve(build, o.notes);
    if (!exists(notes)) return undefined;
    const names = printed.map((f) => f.file);
    const folder = gcovrDirectory(notes, names, root, exists);
    if (folder !== undefined) return folder;
    // gcov stops at no name in particular: name one that is not there from the root
    leftOut(o.notes, names.find((n) => !exists(resolve(root, n))) ?? names[0]!);
    return null;
  };
}
