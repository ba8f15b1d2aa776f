/**
 * What the user picked, as (relative path, File) pairs: from a drop (folders walked with
 * webkitGetAsEntry) or from a file input (webkitRelativePath keeps a chosen folder's layout).
 */
export interface Picked {
  readonly path: string;
  readonly file: File;
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> =>
  new Promise((resolve, reject) => entry.file(resolve, reject));

const readBatch = (reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> =>
  new Promise((resolve, reject) => reader.readEntries(resolve, reject));

const isFileEntry = (e: FileSystemEntry): e is FileSystemFileEntry => e.isFile;
const isDirectoryEntry = (e: FileSystemEntry): e is FileSystemDirectoryEntry => e.isDirectory;

const relative = (p: string): string => p.replace(/^\/+/, '');

async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (isFileEntry(entry)) {
    out.push({ path: relative(entry.fullPath) || entry.name, file: await fileOf(entry) });
  } else if (isDirectoryEntry(entry)) {
    const reader = entry.createReader();
    // readEntries hands out a directory in batches; an empty batch is the end
    for (;;) {
      const batch = await readBatch(reader);
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

/**
 * Must be called synchronously inside the drop handler: the items are only readable
 * during the event, so entries and files are taken before the first await.
 */
export function fromDataTransfer(dt: DataTransfer): Promise<Picked[]> {
  const items = [...dt.items].filter((i) => i.kind === 'file');
  const taken = items.map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  if (taken.length === 0) return Promise.resolve([...dt.files].map((file) => ({ path: file.name, file })));
  return (async () => {
    const out: Picked[] = [];
    for (const { entry, file } of taken) {
      if (entry) await walk(entry, out);
      else if (file) out.push({ path: file.name, file });
    }
    return out;
  })();
}

export function fromFileList(list: FileList | null): Picked[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}
