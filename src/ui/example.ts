/** The bundled example (public/example/, made by scripts/make-example.sh), fetched from this origin. */
import type { InputFile } from '../model/session';

export interface ExampleManifest {
  readonly name: string;
  readonly files: readonly string[];
}

const exampleUrl = (path: string): string => new URL(`example/${path}`, document.baseURI).href;

export async function loadExample(onFile: (path: string, done: number, total: number) => void): Promise<{
  manifest: ExampleManifest;
  inputs: InputFile[];
}> {
  const res = await fetch(exampleUrl('manifest.json'));
  if (!res.ok) throw new Error(`example manifest: HTTP ${res.status}`);
  const manifest = (await res.json()) as ExampleManifest;
  const inputs: InputFile[] = [];
  let done = 0;
  for (const path of manifest.files) {
    onFile(path, done++, manifest.files.length);
    const r = await fetch(exampleUrl(path.split('/').map(encodeURIComponent).join('/')));
    if (!r.ok) throw new Error(`example file ${path}: HTTP ${r.status}`);
    inputs.push({ path, bytes: new Uint8Array(await r.arrayBuffer()) });
  }
  return { manifest, inputs };
}
