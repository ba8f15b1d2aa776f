/**
 * One source file: its lines with counts, branch and condition markers in a virtual list
 * (only the visible rows are in the DOM), the current line's branches and conditions in
 * words, its functions, and keys to jump between uncovered lines, branches and conditions.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ExcludedNote, ExclusionTotals } from './Exclusions';
import { Highlighter, languageOf, type Token } from './highlight';
import { TotalsTable } from './Totals';
import {
  LINE_TEXT,
  branchText,
  conditionText,
  lineConditions,
  lineIndex,
  lineState,
  nextUncovered,
  uncoveredBranchLines,
  uncoveredConditionLines,
  uncoveredLines,
  visibleRange,
  type FileDetail,
} from './report-view';

const ROW = 20;

/** Keys that jump to the next / previous line of each kind. */
const JUMPS: Record<string, { kind: 'line' | 'branch' | 'condition'; direction: 1 | -1 }> = {
  n: { kind: 'line', direction: 1 },
  p: { kind: 'line', direction: -1 },
  b: { kind: 'branch', direction: 1 },
  B: { kind: 'branch', direction: -1 },
  c: { kind: 'condition', direction: 1 },
  C: { kind: 'condition', direction: -1 },
};

function KeyHelp() {
  return (
    <>
      Keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous uncovered line, <kbd>b</kbd> / <kbd>B</kbd> branch,{' '}
      <kbd>c</kbd> / <kbd>C</kbd> condition; <kbd>↑</kbd> / <kbd>↓</kbd> move one line.
    </>
  );
}

/** The current line's branches and conditions in words, for keyboard and screen reader users. */
function LineDetails({ d, i, line }: { d: FileDetail; i: number; line: number }) {
  const branches = [];
  if (i >= 0)
    for (let b = d.branchStart[i]!, k = 0; b < d.branchStart[i + 1]!; b++, k++)
      branches.push(<li key={k}>{branchText(d.branchCounts[b]!, k, d.branchThrow[b] === 1)}</li>);
  const conditions = lineConditions(d, i).flatMap(conditionText);
  return (
    <div className="line-details" data-testid="line-details" data-for-line={line} aria-live="polite">
      <strong>Line {line}</strong>
      {i < 0 ? ': no code.' : `: executed ${d.counts[i]} time${d.counts[i] === 1 ? '' : 's'}.`}
      {branches.length ? (
        <ul className="branch-list" aria-label="Branches" data-testid="line-branches">
          {branches}
        </ul>
      ) : null}
      {conditions.length ? (
        <ul className="condition-list" aria-label="Conditions" data-testid="line-conditions">
          {conditions.map((t, k) => (
            <li key={k}>{t}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A line's tokens as text in spans (never as markup). */
function Source({ tokens }: { tokens: readonly Token[] }) {
  return (
    <code className="src">
      {tokens.map((t, k) =>
        t.kind === 'plain' ? (
          t.text
        ) : (
          <span key={k} className={`tk-${t.kind}`}>
            {t.text}
          </span>
        ),
      )}
    </code>
  );
}

function Conditions({ d, i }: { d: FileDetail; i: number }) {
  const total = d.conditionTotal[i]!;
  if (total === 0) return null;
  const hit = d.conditionHit[i]!;
  const label = lineConditions(d, i).flatMap(conditionText).join('; ');
  return (
    <span className={hit < total ? 'cond-missed' : 'cond-all'} title={label} aria-label={label} role="img">
      {hit}/{total}
    </span>
  );
}

function Branches({ d, i }: { d: FileDetail; i: number }) {
  const out = [];
  for (let b = d.branchStart[i]!, k = 0; b < d.branchStart[i + 1]!; b++, k++) {
    const c = d.branchCounts[b]!;
    const label = branchText(c, k, d.branchThrow[b] === 1);
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
  loadRuns,
  onClose,
  onLine,
}: {
  path: string;
  name: string;
  line: number | undefined;
  loadFile: (path: string) => Promise<FileDetail | undefined>;
  /** Merged runs: the names of the runs that executed each line. */
  loadRuns?: ((path: string) => Promise<ReadonlyMap<number, string> | undefined>) | undefined;
  onClose: () => void;
  onLine: (line: number) => void;
}) {
  const [detail, setDetail] = useState<FileDetail | undefined>();
  const [error, setError] = useState('');
  const [runsOf, setRunsOf] = useState<ReadonlyMap<number, string> | undefined>();
  useEffect(() => {
    let live = true;
    loadRuns?.(path).then(
      (m) => live && setRunsOf(m),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [path, loadRuns]);
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
  // tokens of the rendered rows only, each line once
  const highlighter = useMemo(
    () => (text ? new Highlighter(text, languageOf(detail?.sourcePath ?? path)) : undefined),
    [text, detail, path],
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
  const targets = useMemo(
    () => ({
      line: detail ? uncoveredLines(detail) : [],
      branch: detail ? uncoveredBranchLines(detail) : [],
      condition: detail ? uncoveredConditionLines(detail) : [],
    }),
    [detail],
  );
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
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && t?.dataset.line !== undefined) {
        const r = rowOf(Number(t.dataset.line)) + (e.key === 'ArrowDown' ? 1 : -1);
        e.preventDefault();
        if (r >= 0 && r < rowLines.length) goTo(rowLines[r]!);
        return;
      }
      const jump = JUMPS[e.key];
      if (!jump) return;
      const to = nextUncovered(targets[jump.kind], current, jump.direction);
      if (to !== undefined) {
        e.preventDefault();
        goTo(to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [targets, current, goTo, rowOf, rowLines]);

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
          {...(runsOf?.has(l) ? { 'data-runs': runsOf.get(l), title: `executed in ${runsOf.get(l)}` } : {})}
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
          <span className="cnds">{i >= 0 ? <Conditions d={detail} i={i} /> : null}</span>
          {highlighter ? <Source tokens={highlighter.tokens(l - 1)} /> : <code className="src" />}
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
              Source: <code>{detail.sourcePath}</code>. <KeyHelp />
            </p>
          ) : (
            <p className="note" data-testid="no-source">
              No source for this file: drop <code>{path.split('/').pop()}</code> (its path ends in{' '}
              <code>{name}</code>) to see it. <KeyHelp />
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
          {current !== undefined ? <LineDetails d={detail} i={index[current] ?? -1} line={current} /> : null}
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
