/**
 * The evidence package download: an optional justification file (put in the package as it
 * is, and hashed) and the button. The package itself is made in the worker.
 */
import { useState } from 'react';
import type { NamedBytes } from '../model/evidence';

export function EvidenceDownload({
  disabled,
  onDownload,
}: {
  disabled: boolean;
  onDownload: (justification: NamedBytes | undefined) => void;
}) {
  const [file, setFile] = useState<File | undefined>();
  const click = () => {
    if (!file) return onDownload(undefined);
    void file
      .arrayBuffer()
      .then((b) => onDownload({ name: file.name, bytes: new Uint8Array(b) }))
      .catch(() => onDownload(undefined));
  };
  return (
    <div className="evidence" data-testid="evidence">
      <label htmlFor="justification-input">Justification file for the package (optional)</label>{' '}
      <input
        id="justification-input"
        type="file"
        disabled={disabled}
        onChange={(e) => setFile(e.currentTarget.files?.[0])}
      />{' '}
      <button type="button" onClick={click} disabled={disabled}>
        Download evidence package
      </button>
      <p className="hint">
        One zip: the static report, the .gcda zip (paths as recorded, nothing stripped), lcov, gcov JSON,
        Cobertura, a PDF summary, and a manifest with the SHA-256 of every input and output, the tool and
        compiler versions, the date and the numbers per file (the same bytes as{' '}
        <code>hvcov report --package</code> for the same files and date).
      </p>
    </div>
  );
}
