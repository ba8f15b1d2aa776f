/**
 * One source file: its lines with counts and branch markers in a virtual list (only the
 * visible rows are in the DOM), its functions, and n / p to jump between uncovered lines.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ExcludedNote, ExclusionTotals } from './Exclusions';
import { TotalsTable } from './Totals';
import {
  LINE_TEXT,
  lineIndex,
  lineState,
  nextUncovered,
  uncoveredLines,
  visibleRange,
  type FileDetail,
} from './report-view';

const ROW = 20;

function branchLabel(count: number, i: number, isThrow: boolean): string {
  const what = isThrow ? 'exception branch' : 'branch';
  if (count < 0) return `${what} ${i + 1} never reached`;
  return `${what} ${i + 1} taken ${count} time${count === 1 ? '' : 's'}`;
}

function Branches({ d, i }: { d: FileDetail; i: number }) {
  const out = [];
  for (let b = d.branchStart[i]!, k = 0; b < d.branchStart[i + 1]!; b++, k++) {
    const c = d.branchCounts[b]!;
    const label = branchLabel(c, k, d.branchThrow[b] === 1);
    out.push(
      <span
        key={k}
        className={`br ${c < 0 ? 'br-unreached' : c > 0 ? 'br-taken' : 'br-not'}`}
        title={label}
        aria-label={label}
        role="img"
      >
        {c < 0 ? '#' : c > 0 ? '+' : '−'}
      </span>,
    );
  }
  return <>{out}</>;
}

export function FileView({
  path,
  name,
  line,
  loadFile,
  onClose,
  onLine,
}: {
  path: string;
  name: string;
  line: number | undefined;
  loadFile: (path: string) => Promise<FileDetail | undefined>;
  onClose: () => void;
  onLine: (line: number) => void;
}) {
  const [detail, setDetail] = useState<FileDetail | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    loadFile(path).then(
      (d) => live && (d ? setDetail(d) : setError(`${path} is not in the report`)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [path, loadFile]);

  const text = useMemo(
    () =>
      detail?.source
        ? new TextDecoder()
            .decode(detail.source)
            .replace(/\r?\n$/, '')
            .split(/\r?\n/)
        : undefined,
    [detail],
  );
  /** Line number of each row. */
  const rowLines = useMemo(() => {
    if (!detail) return new Uint32Array(0);
    if (!text) return detail.lines;
    const n = Math.max(text.length, detail.lines.length ? detail.lines[detail.lines.length - 1]! : 0);
    return Uint32Array.from({ length: n }, (_, i) => i + 1);
  }, [detail, text]);
  const index = useMemo(
    () =>
      detail ? lineIndex(detail, rowLines.length ? rowLines[rowLines.length - 1]! : 0) : new Int32Array(0),
    [detail, rowLines],
  );
  const uncovered = useMemo(() => (detail ? uncoveredLines(detail) : []), [detail]);
  const excluded = useMemo(() => new Map(detail?.excluded?.map((e) => [e.line, e])), [detail]);
  const rowOf = useCallback(
    (l: number) => (text ? l - 1 : detail ? detail.lines.indexOf(l) : -1),
    [text, detail],
  );

  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [current, setCurrent] = useState<number | undefined>();
  const focusPending = useRef(false);

  const goTo = useCallback(
    (l: number, focus = true) => {
      const el = box.current;
      const r = rowOf(l);
      if (!el || r < 0) return;
      const top = r * ROW;
      if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight)
        el.scrollTop = Math.max(0, top - el.clientHeight / 3);
      setScrollTop(el.scrollTop);
      setCurrent(l);
      focusPending.current = focus;
      onLine(l);
    },
    [rowOf, onLine],
  );

  // the deep link's line, once the data is there
  const linked = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!detail || line === undefined || linked.current === line) return;
    linked.current = line;
    goTo(line);
  }, [detail, line, goTo]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    if (focusPending.current && current !== undefined) {
      focusPending.current = false;
      el.querySelector<HTMLElement>(`[data-line="${current}"]`)?.focus({ preventScroll: true });
    }
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.key !== 'n' && e.key !== 'p') return;
      const to = nextUncovered(uncovered, current, e.key === 'n' ? 1 : -1);
      if (to !== undefined) {
        e.preventDefault();
        goTo(to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [uncovered, current, goTo]);

  const rows = [];
  if (detail) {
    const { first, last } = visibleRange(scrollTop, height, ROW, rowLines.length);
    for (let r = first; r <= last; r++) {
      const l = rowLines[r]!;
      const i = index[l] ?? -1;
      const state = lineState(detail, i);
      const count = i >= 0 ? detail.counts[i]! : undefined;
      const unexec = i >= 0 && (detail.flags[i]! & 1) === 1;
      const ex = excluded.get(l);
      const label = `line ${l}${count === undefined ? '' : `, ${LINE_TEXT[state].label}, executed ${count} times`}${unexec ? ', has unexecuted blocks' : ''}${ex ? `, excluded: ${ex.text}` : ''}`;
      rows.push(
        <div
          key={l}
          className={`row line-${state}${current === l ? ' current' : ''}${ex ? ` excluded-${ex.scope}` : ''}`}
          data-excluded={ex?.scope}
          style={{ top: r * ROW }}
          data-line={l}
          data-count={count}
          data-state={state}
          tabIndex={-1}
          aria-label={label}
          onClick={() => goTo(l)}
        >
          <span className="mark" aria-hidden="true">
            {LINE_TEXT[state].symbol}
          </span>
          <span className="ln">{l}</span>
          <span className="cnt">
            {count === undefined ? '' : count}
            {unexec ? (
              <span className="unexec" title="some block on this line was not executed">
                *
              </span>
            ) : null}
          </span>
          <span className="brs">{i >= 0 ? <Branches d={detail} i={i} /> : null}</span>
          <code className="src">{text ? (text[l - 1] ?? '') : ''}</code>
          {ex ? <ExcludedNote ex={ex} /> : null}
        </div>,
      );
    }
  }

  return (
    <section aria-labelledby="file-title" className="file-view" data-testid="file-view" data-path={path}>
      <h3 id="file-title">
        {name}{' '}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </h3>
      {error ? <p className="message">{error}</p> : null}
      {detail ? (
        <>
          <TotalsTable totals={detail.totals} label={`Coverage of ${name}`} testId="file-totals" />
          {detail.afterExclusions ? (
            <ExclusionTotals
              all={detail.totals}
              after={detail.afterExclusions}
              label={`Coverage of ${name} with and without exclusions`}
              testId="file-exclusion-totals"
            />
          ) : null}
          {text ? (
            <p className="hint">
              Source: <code>{detail.sourcePath}</code>. Keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous
              uncovered line.
            </p>
          ) : (
            <p className="note" data-testid="no-source">
              No source for this file: drop <code>{path.split('/').pop()}</code> (its path ends in{' '}
              <code>{name}</code>) to see it. Keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous uncovered
              line.
            </p>
          )}
          <div
            ref={box}
            className="lines"
            role="list"
            aria-label={`Lines of ${name}`}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          >
            <div className="spacer" style={{ height: rowLines.length * ROW }}>
              {rows}
            </div>
          </div>
          <table className="functions" aria-label={`Functions of ${name}`} data-testid="functions">
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col">Line</th>
                <th scope="col">Called</th>
                <th scope="col">Blocks executed</th>
              </tr>
            </thead>
            <tbody>
              {detail.functions.map((f) => (
                <tr key={f.name} data-function={f.name}>
                  <td>
                    <code>{f.demangledName}</code>
                  </td>
                  <td className="num">
                    <a
                      href={`#line-${f.startLine}`}
                      onClick={(e) => {
                        e.preventDefault();
                        goTo(f.startLine);
                      }}
                    >
                      {f.startLine}
                    </a>
                  </td>
                  <td className="num" data-cell="called">
                    {f.executionCount}
                  </td>
                  <td className="num" data-cell="blocks">
                    {f.blocks === 0 ? '-' : `${Math.round((f.blocksExecuted * 100) / f.blocks)}%`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : error ? null : (
        <p>Loading…</p>
      )}
    </section>
  );
}
