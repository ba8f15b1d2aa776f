/**
 * The page: take files, show what they are and what went wrong, offer the .gcda zip.
 * The worker does all the work; this only renders and moves bytes to it.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { outputPath } from '../gcov/paths';
import type { Progress, Summary } from '../model/session';
import { fromDataTransfer, fromFileList, type Picked } from './collect';
import type { ExportKind } from '../../workers/extract.worker';
import { Cancelled, Engine } from './engine';
import { EvidenceDownload } from './EvidenceDownload';
import type { NamedBytes } from '../model/evidence';
import { loadExample } from './example';
import type { RunsChoice, RunsSummary } from '../model/runs-view';
import { Limits } from './Limits';
import { DEFAULT_LIMITS, type ArchiveLimits } from '../model/limits';
import type { ReportSummary } from './report-view';

/**
 * The report view's code is loaded apart from the page's first script, starting as soon as
 * files are given (so it is there when the report is), and rendered only once loaded: no
 * Suspense fallback, whose reveal React would throttle and commit in one long task.
 */
type ReportViewModule = typeof import('./ReportView');
let reportViewModule: Promise<ReportViewModule> | undefined;
const loadReportView = (): Promise<ReportViewModule> => (reportViewModule ??= import('./ReportView'));

const STAGE_TEXT: Record<Progress['stage'], string> = {
  unpack: 'Reading and unpacking',
  classify: 'Classifying',
  extract: 'Decoding the image',
  match: 'Matching .gcda to .gcno',
  solve: 'Solving the flow graphs',
  index: 'Indexing the report',
  zip: 'Writing the zip',
  export: 'Writing the download',
};

/** The report's downloads: file name, MIME type and button text. */
const EXPORTS: readonly { kind: ExportKind; name: string; type: string; text: string }[] = [
  { kind: 'lcov', name: 'coverage.info', type: 'text/plain', text: 'lcov tracefile' },
  { kind: 'gcov-json', name: 'coverage.gcov.json', type: 'application/jsonl', text: 'gcov JSON' },
  { kind: 'cobertura', name: 'cobertura.xml', type: 'application/xml', text: 'Cobertura XML' },
  { kind: 'html', name: 'coverage-report.html', type: 'text/html', text: 'static HTML report' },
];

function saveBytes(bytes: Uint8Array, name: string, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ProgressBar({ progress, onCancel }: { progress: Progress; onCancel: () => void }) {
  const known = progress.total > 0;
  return (
    <div className="progress" role="group" aria-label="Progress">
      <label htmlFor="progress-bar">
        {STAGE_TEXT[progress.stage]}
        {known ? ` (${progress.done} of ${progress.total})` : progress.done > 0 ? ` (${progress.done})` : ''}
        {progress.label ? <span className="progress-label">: {progress.label}</span> : null}
      </label>
      <progress id="progress-bar" {...(known ? { value: progress.done, max: progress.total } : {})} />
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function DropZone({ onPicked, disabled }: { onPicked: (p: Promise<Picked[]>) => void; disabled: boolean }) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <section
      className={`drop-zone${over ? ' over' : ''}`}
      aria-labelledby="drop-title"
      data-testid="drop-zone"
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled) onPicked(fromDataTransfer(e.dataTransfer));
      }}
    >
      <h2 id="drop-title">Drop files or a folder here</h2>
      <p id="drop-help">
        The core image (<code>/sys/devices/jailhouse/core</code>), the hypervisor ELF, <code>.gcno</code>,{' '}
        <code>.gcda</code> and source files, or <code>.zip</code>, <code>.tar</code>, <code>.tar.gz</code>{' '}
        archives of them, in any mix.
      </p>
      <div className="buttons">
        <button
          type="button"
          disabled={disabled}
          aria-describedby="drop-help"
          onClick={() => files.current?.click()}
        >
          Choose files
        </button>
        <button
          type="button"
          disabled={disabled}
          aria-describedby="drop-help"
          onClick={() => folder.current?.click()}
        >
          Choose folder
        </button>
      </div>
      <input
        ref={files}
        id="files-input"
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        aria-label="Choose files"
        onChange={(e) => {
          onPicked(Promise.resolve(fromFileList(e.currentTarget.files)));
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folder}
        id="folder-input"
        type="file"
        multiple
        {...{ webkitdirectory: '' }}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        aria-label="Choose folder"
        onChange={(e) => {
          onPicked(Promise.resolve(fromFileList(e.currentTarget.files)));
          e.currentTarget.value = '';
        }}
      />
    </section>
  );
}

function Problems({ summary }: { summary: Summary }) {
  if (summary.problems.length === 0 && summary.warnings.length === 0) return null;
  return (
    <section aria-labelledby="problems-title" className="problems">
      <h2 id="problems-title">Problems ({summary.problems.length + summary.warnings.length})</h2>
      <p>Everything else was kept.</p>
      <ul>
        {summary.problems.map((p, i) => (
          <li key={`p${i}`} className="problem">
            <span className="code">{p.code}</span> {p.message}
          </li>
        ))}
        {summary.warnings.map((w, i) => (
          <li key={`w${i}`} className="warning">
            <span className="code">warning</span> {w}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function App() {
  const engine = useRef<Engine | null>(null);
  const [summary, setSummary] = useState<Summary | undefined>();
  const [report, setReport] = useState<ReportSummary | undefined>();
  const [view, setView] = useState<ReportViewModule | undefined>();
  const [runs, setRuns] = useState<RunsSummary | undefined>();
  /** Takes what the worker holds now, and its report when there is one. */
  // as transitions, which React renders in time slices rather than in one task
  const took = useCallback(async (s: Summary) => {
    startTransition(() => setSummary(s));
    const rs = await eng().runs();
    if (rs) setView(await loadReportView());
    startTransition(() => setRuns(rs));
    if (!s.report) {
      startTransition(() => setReport(undefined));
      return;
    }
    const [r, m] = await Promise.all([eng().report(), loadReportView()]);
    startTransition(() => {
      setView(() => m);
      setReport(r);
    });
  }, []);
  const [progress, setProgress] = useState<Progress | undefined>();
  const [message, setMessage] = useState<string>('');
  const [strip, setStrip] = useState(0);
  const [limits, setLimits] = useState<ArchiveLimits>(DEFAULT_LIMITS);
  const exampleStarted = useRef(false);

  useEffect(() => {
    engine.current ??= new Engine();
  }, []);
  const eng = (): Engine => (engine.current ??= new Engine());

  const busy = progress !== undefined;

  /**
   * One operation at a time. Progress comes through its own message port, so a report can
   * arrive after the call it belongs to has returned: reports of a finished one are dropped.
   */
  const current = useRef(0);
  const guarded = useCallback(async (what: (report: (p: Progress) => void) => Promise<void>) => {
    const op = ++current.current;
    void loadReportView().catch(() => undefined);
    const report = (p: Progress) => {
      if (current.current === op) setProgress(p);
    };
    setMessage('');
    try {
      await what(report);
    } catch (e) {
      if (e instanceof Cancelled) {
        setSummary(undefined);
        setReport(undefined);
        setRuns(undefined);
        setMessage('Cancelled. The worker was restarted; add the files again.');
      } else {
        setMessage(`Error: ${(e as Error).message}`);
      }
    } finally {
      if (current.current === op) current.current = 0;
      setProgress(undefined);
    }
  }, []);

  const onPicked = (p: Promise<Picked[]>) =>
    void guarded(async (report) => {
      report({ stage: 'unpack', done: 0, total: 0 });
      const picked = await p;
      if (picked.length === 0) return;
      await took(await eng().add(picked, report));
    });

  const openExample = useCallback(
    () =>
      void guarded(async (report) => {
        report({ stage: 'unpack', done: 0, total: 0, label: 'example' });
        const e = eng();
        const { inputs } = await e.run(
          loadExample((path, done, total) =>
            report({ stage: 'unpack', done, total, label: `fetching ${path}` }),
          ),
        );
        await e.clear();
        await took(await e.addBytes(inputs, report));
      }),
    [guarded, took],
  );

  useEffect(() => {
    if (exampleStarted.current) return;
    exampleStarted.current = true;
    if (new URLSearchParams(window.location.search).has('example')) openExample();
  }, [openExample]);

  const download = () =>
    void guarded(async (report) => {
      report({ stage: 'zip', done: 0, total: 0 });
      saveBytes(await eng().zip(strip, report), 'gcda.zip');
    });

  const downloadExport = (e: (typeof EXPORTS)[number]) =>
    void guarded(async (report) => {
      report({ stage: 'export', done: 0, total: 0, label: e.name });
      saveBytes(await eng().export(e.kind), e.name, e.type);
    });

  const downloadEvidence = (justification: NamedBytes | undefined) =>
    void guarded(async (report) => {
      report({ stage: 'export', done: 0, total: 0, label: 'evidence package' });
      saveBytes(await eng().evidence(justification), 'evidence.zip');
    });

  const clear = () =>
    void guarded(async () => {
      await eng().clear();
      setSummary(undefined);
      setReport(undefined);
      setRuns(undefined);
    });

  const loadFile = useCallback((path: string) => eng().file(path), []);

  /** Merged runs: per line of a file, the names of the runs that executed it. */
  const runNames = runs?.mode === 'merge' && !runs.refused ? runs.runs.map((r) => r.name) : undefined;
  const runNamesKey = runNames?.join('\n');
  const loadRuns = useCallback(
    async (path: string) => {
      if (runNamesKey === undefined) return undefined;
      const names = runNamesKey.split('\n');
      const lines = await eng().lineRuns(path);
      return lines && new Map(lines.map(([l, idx]) => [l, idx.map((i) => names[i]).join(', ')]));
    },
    [runNamesKey],
  );

  const chooseRuns = (c: RunsChoice) =>
    void guarded(async () => {
      await took(await eng().setRuns(c));
    });

  const cancel = () => {
    eng().cancel();
  };

  const firstGcda = summary?.image?.gcda[0];

  return (
    <main>
      <header>
        <h1>hvcov</h1>
        <p>
          Turns the memory image of a bare-metal program built with <code>gcc --coverage</code> (first of all
          the Jailhouse hypervisor's <code>/sys/devices/jailhouse/core</code>) into the <code>.gcda</code>{' '}
          files libgcov would have written. Everything happens in this page; nothing is uploaded.
        </p>
      </header>

      <DropZone onPicked={onPicked} disabled={busy} />
      <Limits
        limits={limits}
        onChange={(l) => {
          setLimits(l);
          eng().setLimits(l);
        }}
      />

      <div className="buttons">
        <button type="button" onClick={openExample} disabled={busy}>
          Open the example
        </button>
        {summary && summary.files.length > 0 ? (
          <button type="button" onClick={clear} disabled={busy}>
            Clear
          </button>
        ) : null}
      </div>

      {progress ? <ProgressBar progress={progress} onCancel={cancel} /> : null}

      <div role="status" aria-live="polite" className="status">
        {message ? <p className="message">{message}</p> : null}
        {summary ? (
          <p className="summary" data-testid="summary">
            {summary.text}
          </p>
        ) : null}
      </div>

      {(summary?.image && summary.image.objects > 0) || report ? (
        <section aria-labelledby="download-title" className="download">
          <h2 id="download-title">Download</h2>
          {summary?.image && summary.image.objects > 0 ? (
            <>
              <p>
                {summary.image.path}: {summary.image.target}, base {summary.image.base},{' '}
                {summary.image.functions} functions, {summary.image.counters} counters.
              </p>
              <div className="strip">
                <label htmlFor="strip">Strip leading directories (GCOV_PREFIX_STRIP)</label>
                <input
                  id="strip"
                  type="number"
                  min={0}
                  max={64}
                  value={strip}
                  aria-describedby="strip-example"
                  onChange={(e) => setStrip(Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)))}
                />
                {firstGcda ? (
                  <p id="strip-example" className="hint">
                    e.g. <code>{firstGcda}</code> → <code>{outputPath(firstGcda, strip)}</code>
                  </p>
                ) : null}
              </div>
              <button type="button" onClick={download} disabled={busy}>
                Download .gcda zip ({summary.image.gcda.length} files)
              </button>
            </>
          ) : null}
          {report ? (
            <div className="buttons exports" data-testid="exports">
              {EXPORTS.map((e) => (
                <button key={e.kind} type="button" onClick={() => downloadExport(e)} disabled={busy}>
                  Download {e.text}
                </button>
              ))}
            </div>
          ) : null}
          {report ? <EvidenceDownload disabled={busy} onDownload={downloadEvidence} /> : null}
        </section>
      ) : null}

      {summary ? <Problems summary={summary} /> : null}

      {runs && view ? (
        <view.RunsPanel runs={runs} root={report?.root ?? '/'} busy={busy} onChoose={chooseRuns} />
      ) : null}

      {report && view ? (
        <view.ReportView summary={report} loadFile={loadFile} {...(runNames ? { loadRuns } : {})} />
      ) : null}

      {summary && summary.files.length > 0 ? (
        <details className="files">
          <summary>Files ({summary.files.length})</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Kind</th>
                <th scope="col">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {summary.files.map((f) => (
                <tr key={f.path}>
                  <td>
                    <code>{f.path}</code>
                  </td>
                  <td>{f.kind}</td>
                  <td className="num">{f.size}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </main>
  );
}
