/**
 * The evidence package in a real browser: downloaded from the app (with a justification
 * file, the page's clock fixed), unzipped, every hash of its manifest recomputed with
 * node:crypto from the dropped files and the package's own entries, the .gcda entries
 * libgcov's bytes, and the package byte for byte what `hvcov report --package` writes for
 * the same inputs and date.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoApp, launchBrowser, serveApp, type Served } from '../helpers/browser';
import type { Manifest } from '../../src/model/evidence';
import { loadFixture, walkFiles, writeDropTree } from '../helpers/fixtures';

const CONFIG = 'gcc12-armhf-O0';
const fx = loadFixture(CONFIG);
const NOW = Date.UTC(2025, 9, 11, 12, 13, 14);
const ISO = new Date(NOW).toISOString().replace('.000Z', 'Z');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let served: Served;
let browser: Browser;
let context: BrowserContext;
let work: string;
let tree: string;
let justification: string;

beforeAll(async () => {
  served = await serveApp();
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-evidence-'));
  tree = writeDropTree(fx, join(work, 'tree'));
  justification = join(work, 'justifications.txt');
  writeFileSync(justification, 'setup.c: error paths need a failing allocator\n');
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe(`the evidence package on ${CONFIG}`, () => {
  it('downloads a package whose every hash checks, with libgcov’s .gcda, equal to the CLI’s', async () => {
    const page = await context.newPage();
    await page.clock.setFixedTime(NOW);
    await gotoApp(page, served.origin);
    await page.setInputFiles('#folder-input', tree);
    await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('report-totals').waitFor();
    await page.setInputFiles('#justification-input', justification);
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download evidence package' }).click(),
    ]);
    expect(d.suggestedFilename()).toBe('evidence.zip');
    const file = join(work, 'evidence.zip');
    await d.saveAs(file);
    await page.close();

    const zip = new Uint8Array(readFileSync(file));
    const entries = unzipSync(zip);
    const m = JSON.parse(strFromU8(entries['manifest.json']!)) as Manifest;
    expect(m.date).toBe(ISO);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(m.tool.version).toBe(pkg.version);
    expect(m.gcc).toEqual([fx.meta.gcc]);
    expect(m.targets.join()).toContain('(arm)');

    // inputs, from the files dropped
    const onDisk = new Map<string, Uint8Array>([
      ['image.bin', fx.image],
      ['justifications.txt', new Uint8Array(readFileSync(justification))],
    ]);
    for (const f of walkFiles(join(tree, 'gcno')))
      onDisk.set(relative(join(tree, 'gcno'), f), readFileSync(f));
    const sources = new Map(walkFiles(join(tree, 'src')).map((f) => [relative(join(tree, 'src'), f), f]));
    for (const i of m.inputs) {
      // a source is named by the report's path: under the compile directory recorded in the .gcno
      const bytes =
        i.role === 'source'
          ? readFileSync(sources.get(relative(join(fx.meta.buildDir, 'src'), i.name))!)
          : onDisk.get(i.name);
      expect(bytes, i.name).toBeDefined();
      expect([i.sha256, i.size], i.name).toEqual([sha(bytes!), bytes!.length]);
    }
    expect(m.inputs.filter((i) => i.role === 'gcno').length).toBe(walkFiles(join(tree, 'gcno')).length);
    expect(m.inputs.filter((i) => i.role === 'source').length).toBeGreaterThan(0);
    expect(m.inputs.filter((i) => i.role === 'image').length).toBe(1);

    // outputs and SHA256SUMS, from the package's entries
    expect([...m.outputs.map((o) => o.name), 'manifest.json', 'manifest.md', 'SHA256SUMS'].sort()).toEqual(
      Object.keys(entries).sort(),
    );
    for (const o of m.outputs) expect(o.sha256, o.name).toBe(sha(entries[o.name]!));
    for (const line of strFromU8(entries['SHA256SUMS']!).trimEnd().split('\n')) {
      const [hash, name] = line.split('  ');
      expect(hash, name).toBe(sha(entries[name!]!));
    }
    expect(strFromU8(entries['justification/justifications.txt']!)).toBe(readFileSync(justification, 'utf8'));

    // the .gcda: libgcov's bytes
    const gcda = unzipSync(entries['gcda.zip']!);
    expect(Object.keys(gcda).length).toBe(fx.ref.size);
    for (const [path, ref] of fx.ref) {
      expect(Buffer.from(gcda[path.slice(1)]!).equals(Buffer.from(ref)), path).toBe(true);
      expect(m.extracted.find((e) => e.name === path)?.sha256, path).toBe(sha(ref));
    }

    // the CLI on the same files and date: the same package; the sources where the .gcno say
    const compileDir = join(fx.meta.buildDir, 'src');
    for (const [rel, f] of sources) {
      mkdirSync(join(compileDir, rel, '..'), { recursive: true });
      writeFileSync(join(compileDir, rel), readFileSync(f));
    }
    const cliZip = join(work, 'cli.zip');
    execFileSync(
      'node',
      [
        join(process.cwd(), 'bin/hvcov.cjs'),
        'report',
        '--build',
        'gcno',
        '--image',
        'image.bin',
        '--justification',
        justification,
        '--date',
        ISO,
        '--package',
        cliZip,
      ],
      { cwd: tree, stdio: 'pipe' },
    );
    // the built CLI names the same version and commit as the package's manifest
    const version = execFileSync('node', [join(process.cwd(), 'bin/hvcov.cjs'), '--version'], {
      encoding: 'utf8',
    });
    expect(version.trim()).toBe(`hvcov ${m.tool.version} (commit ${m.tool.commit})`);
    const cli = new Uint8Array(readFileSync(cliZip));
    expect(JSON.parse(strFromU8(unzipSync(cli)['manifest.json']!))).toEqual(m);
    expect(Buffer.from(cli).equals(Buffer.from(zip))).toBe(true);
  });
});
