/**
 * The evidence package on a committed fixture: every hash in the manifest recomputed with
 * node:crypto from the files themselves, the per-file numbers the model's (conformance-
 * checked against gcov elsewhere), the .gcda entries libgcov's bytes, the package the same
 * bytes in any time zone, and the app's package (a Session given the files) the CLI's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { extractImage } from '../../src/gcov/extract';
import { targetText } from '../../src/gcov/memory';
import { evidencePackage, isoDate, type EvidenceOptions, type Manifest } from '../../src/model/evidence';
import { buildReport } from '../../src/model/report';
import { Session } from '../../src/model/session';
import { sessionEvidence } from '../../src/ui/evidence-session';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const gcnoDir = join(fx.dir, 'gcno');
const srcDir = join(fx.dir, 'src');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const NOW = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

const extracted = extractImage(fx.image, 'image.bin', { elf: { bytes: fx.elf, name: 'hv.elf' } });
const target = `${targetText(extracted.detection.target)} (${extracted.detection.arch})`;
const notes = walkFiles(gcnoDir).map((f) => ({ name: `build/obj/${relative(gcnoDir, f)}`, bytes: read(f) }));
const data = extracted.files.map((f) => ({ name: f.path, bytes: f.bytes }));
const report = buildReport(
  notes,
  data.map((d) => ({ ...d, image: 'dropped/image.bin', target })),
  { sourceRoot: srcDir },
);
const justification = { name: 'some/dir/justifications.txt', bytes: new TextEncoder().encode('why\n') };

function options(): EvidenceOptions {
  return {
    report,
    tool: { name: 'hvcov', version: '1.2.3', commit: 'abc' },
    now: NOW,
    image: { name: 'dropped/image.bin', bytes: fx.image },
    elf: { name: 'dropped/hv.elf', bytes: fx.elf },
    notes,
    data,
    source: (path) => (path.startsWith(srcDir + '/') ? read(path) : undefined),
    justification,
  };
}

const manifestOf = (zip: Uint8Array): Manifest =>
  JSON.parse(strFromU8(unzipSync(zip)['manifest.json']!)) as Manifest;

describe('evidence package', () => {
  it('hashes every input and output as node:crypto does and lists what the package holds', async () => {
    const { zip, manifest } = await evidencePackage(options());
    const entries = unzipSync(zip);
    expect(manifestOf(zip)).toEqual(manifest);
    expect(manifest.date).toBe(isoDate(NOW));
    expect(manifest.date).toBe(new Date(Math.floor(NOW / 1000) * 1000).toISOString().replace('.000Z', 'Z'));

    // inputs: each name leads back to its file on disk, whose hash and size match
    const onDisk = new Map<string, Uint8Array>([
      ['image.bin', fx.image],
      ['hv.elf', fx.elf],
      ['justifications.txt', justification.bytes],
    ]);
    for (const f of walkFiles(gcnoDir)) onDisk.set(relative(gcnoDir, f), read(f));
    for (const f of walkFiles(srcDir)) onDisk.set(f, read(f));
    for (const i of manifest.inputs) {
      const bytes = onDisk.get(i.name);
      expect(bytes, i.name).toBeDefined();
      expect([i.sha256, i.size], i.name).toEqual([sha(bytes!), bytes!.length]);
    }
    const roles = (r: string) => manifest.inputs.filter((i) => i.role === r).length;
    expect(roles('gcno')).toBe(walkFiles(gcnoDir).length);
    expect(roles('image')).toBe(1);
    expect(roles('elf')).toBe(1);
    expect(roles('justification')).toBe(1);
    expect(roles('source')).toBe(report.files.filter((f) => f.path.startsWith(srcDir + '/')).length);
    expect(roles('source')).toBeGreaterThan(0);

    // the extracted .gcda: libgcov's bytes, in the nested gcda.zip, hashed
    const gcda = unzipSync(entries['gcda.zip']!);
    expect(Object.keys(gcda).length).toBe(fx.ref.size);
    for (const [path, ref] of fx.ref) {
      expect(Buffer.from(gcda[path.slice(1)]!).equals(Buffer.from(ref)), path).toBe(true);
      expect(manifest.extracted.find((e) => e.name === path)?.sha256, path).toBe(sha(ref));
    }

    // outputs: every file of the package but the manifests and the sums, hashed
    const listed = new Set(manifest.outputs.map((o) => o.name));
    expect([...listed, 'manifest.json', 'manifest.md', 'SHA256SUMS'].sort()).toEqual(
      Object.keys(entries).sort(),
    );
    for (const o of manifest.outputs)
      expect([o.sha256, o.size], o.name).toEqual([sha(entries[o.name]!), entries[o.name]!.length]);
    expect(
      Buffer.from(entries['justification/justifications.txt']!).equals(Buffer.from(justification.bytes)),
    ).toBe(true);
    const sums = strFromU8(entries['SHA256SUMS']!).trimEnd().split('\n');
    expect(sums.length).toBe(Object.keys(entries).length - 1);
    for (const line of sums) {
      const [hash, name] = line.split('  ');
      expect(hash, name).toBe(sha(entries[name!]!));
    }

    // tool, compiler, target
    expect(manifest.tool).toEqual({ name: 'hvcov', version: '1.2.3', commit: 'abc' });
    expect(manifest.gcc).toEqual([fx.meta.gcc]);
    expect(manifest.targets).toEqual([target]);
    const html = strFromU8(entries['coverage-report.html']!);
    expect(html).toContain('hvcov 1.2.3 (abc)');
    expect(html).toContain(sha(fx.image));
  });

  it('gives the model’s numbers per file and in total', async () => {
    const { manifest } = await evidencePackage(options());
    const pair = (c: { hit: number; found: number }) => ({ hit: c.hit, total: c.found });
    const kinds = ['lines', 'functions', 'branches', 'conditions'] as const;
    expect(manifest.files.map((f) => f.path)).toEqual(report.files.map((f) => f.path));
    report.files.forEach((f, i) => {
      for (const k of kinds) expect(manifest.files[i]![k], `${f.path} ${k}`).toEqual(pair(f.totals[k]));
    });
    for (const k of kinds) expect(manifest.totals[k]).toEqual(pair(report.totals[k]));
    expect(manifest.totals.lines.total).toBeGreaterThan(0);
  });

  it('holds a well-formed PDF summary whose cross-reference table points at its objects', async () => {
    const { zip, manifest } = await evidencePackage(options());
    const pdf = strFromU8(unzipSync(zip)['summary.pdf']!, true);
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.endsWith('%%EOF\n')).toBe(true);
    expect([...pdf].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    const startxref = Number(pdf.match(/startxref\n(\d+)\n%%EOF\n$/)![1]);
    expect(pdf.slice(startxref, startxref + 5)).toBe('xref\n');
    const [, first, count] = pdf.slice(startxref).match(/^xref\n(\d+) (\d+)\n/)!;
    expect(Number(first)).toBe(0);
    const rows = pdf
      .slice(startxref)
      .split('\n')
      .slice(3, 2 + Number(count));
    expect(rows.length).toBe(Number(count) - 1);
    rows.forEach((row, i) => {
      const offset = Number(row.slice(0, 10));
      expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length), row).toBe(`${i + 1} 0 obj`);
    });
    expect(pdf).toContain(`/Size ${count} `);
    // each stream's /Length is its content's length
    for (const m of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
      const start = m.index + m[0].length;
      expect(pdf.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe('\nendstream');
    }
    // the text: the stamp and every file's numbers, as the manifest has them
    const text = [...pdf.matchAll(/\((.*)\) Tj T\*/g)].map((m) => m[1]!).join('\n');
    expect(text).toContain(`Date:   ${manifest.date}`);
    expect(text).toContain('hvcov 1.2.3 \\(abc\\)'); // parentheses escaped in a PDF string
    for (const f of manifest.files) expect(text).toContain(`${f.lines.hit}/${f.lines.total}`);
    for (const i of manifest.inputs) expect(text).toContain(i.sha256);
  });

  it('writes the same bytes for the same inputs and date, in any time zone', async () => {
    const a = (await evidencePackage(options())).zip;
    const tz = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const b = (await evidencePackage(options())).zip;
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    const later = (await evidencePackage({ ...options(), now: NOW + 1000 })).zip;
    expect(Buffer.from(a).equals(Buffer.from(later))).toBe(false);
  });

  it('is the same package from the app’s session and from hvcov report --package', async () => {
    // the sources where the .gcno say they were compiled, for the CLI to read
    const compileDir = join(fx.meta.buildDir, 'src');
    for (const f of walkFiles(srcDir)) {
      const to = join(compileDir, relative(srcDir, f));
      mkdirSync(join(to, '..'), { recursive: true });
      writeFileSync(to, readFileSync(f));
    }
    const session = new Session();
    const dropped = [
      { path: 'tree/image.bin', bytes: fx.image.slice() },
      { path: 'tree/hv.elf', bytes: fx.elf.slice() },
      ...walkFiles(gcnoDir).map((f) => ({ path: `tree/gcno/${relative(gcnoDir, f)}`, bytes: read(f) })),
      ...walkFiles(srcDir).map((f) => ({ path: `tree/src/${relative(srcDir, f)}`, bytes: read(f) })),
    ];
    await session.add(dropped);
    const app = await sessionEvidence(session, NOW, justification);

    const out = mkdtempSync(join(tmpdir(), 'hvcov-evidence-'));
    const just = join(out, 'justifications.txt');
    writeFileSync(just, justification.bytes);
    const lines: string[] = [];
    const code = await main(
      [
        'report',
        '--build',
        gcnoDir,
        '--image',
        join(fx.dir, 'image.bin'),
        '--elf',
        join(fx.dir, 'hv.elf'),
        '--justification',
        just,
        '--date',
        isoDate(NOW),
        '--package',
        join(out, 'p.zip'),
      ],
      (s) => lines.push(s),
    );
    expect(code, lines.join('\n')).toBe(0);
    const cli = read(join(out, 'p.zip'));
    expect(manifestOf(cli)).toEqual(app.manifest);
    expect(Buffer.from(cli).equals(Buffer.from(app.zip))).toBe(true);
    expect(app.manifest.inputs.filter((i) => i.role === 'source').length).toBeGreaterThan(0);
  });
});
