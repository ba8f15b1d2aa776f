/**
 * Pairing .gcda with .gcno by path, on real fixture files: the absolute build paths
 * libgcov recorded in the image against the relative paths of a dropped .gcno tree.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractImage } from '../../src/gcov/extract';
import { commonSuffix, buildReport, normalisePath, type NotesInput } from '../../src/model/report';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const gcnoDir = join(fx.dir, 'gcno');
const notes = (prefix: string): NotesInput[] =>
  walkFiles(gcnoDir).map((f) => ({
    name: prefix + relative(gcnoDir, f),
    bytes: new Uint8Array(readFileSync(f)),
  }));
const image = extractImage(fx.image, 'image.bin');
const data = image.files.map((f) => ({ name: f.path, bytes: f.bytes, image: 'image.bin' }));
const objOf = (gcda: string) => relative(join(fx.meta.buildDir, 'obj'), gcda).replace(/\.gcda$/, '');

describe('matching .gcda to .gcno by path', () => {
  it('pairs every recorded build path with the .gcno of the same relative path', () => {
    const r = buildReport(notes('obj/'), data);
    expect(r.problems).toEqual([]);
    expect(r.objects.length).toBe(fx.ref.size);
    for (const o of r.objects) expect(o.notes).toBe('obj/' + objOf(o.data!) + '.gcno');
    for (const o of r.objects) expect(o.image).toBe('image.bin');
  });

  it('uses the longest common suffix: irqchip.gcda under arch/ goes to arch/irqchip.gcno', () => {
    const irq = data.find((d) => d.name.endsWith('/arch/irqchip.gcda'))!;
    expect(commonSuffix('obj/arch/irqchip.gcno', irq.name)).toBe(3);
    expect(commonSuffix('other/arch/irqchip.gcno', irq.name)).toBe(2);
    expect(commonSuffix('obj/irqchip.gcno', irq.name)).toBe(1);
    // a decoy with the same file name one level up loses to the deeper match
    const decoy = notes('obj/').find((n) => n.name === 'obj/arch/irqchip.gcno')!;
    const r = buildReport([...notes('obj/'), { name: 'irqchip.gcno', bytes: decoy.bytes }], [irq]);
    expect(r.problems).toEqual([]);
    expect(r.objects.find((o) => o.data)!.notes).toBe('obj/arch/irqchip.gcno');
  });

  it('resolves .. segments and tolerates the .tmp_ prefix of kbuild objects', () => {
    const lib = data.find((d) => d.name.endsWith('/obj/lib.gcda'))!;
    const moved = { ...lib, name: lib.name.replace('/obj/lib.gcda', '/obj/arch/../.tmp_lib.gcda') };
    expect(commonSuffix('build/obj/lib.gcno', moved.name)).toBe(commonSuffix('build/obj/lib.gcno', lib.name));
    const r = buildReport(notes('build/obj/'), [moved]);
    expect(r.problems).toEqual([]);
    expect(r.objects.find((o) => o.data)!.notes).toBe('build/obj/lib.gcno');
    expect(normalisePath('include/hv/../hv/bitops.h', fx.meta.buildDir + '/src')).toBe(
      fx.meta.buildDir + '/src/include/hv/bitops.h',
    );
  });

  it('refuses a .gcda whose stamp differs, names both, and reports the other files', () => {
    const bad = data.map((d) => {
      if (!d.name.endsWith('/obj/pci.gcda')) return d;
      const bytes = d.bytes.slice();
      bytes[8]! ^= 1; // the stamp word
      return { ...d, bytes };
    });
    const r = buildReport(notes('obj/'), bad);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /obj\/pci\.gcda at 0x8: not from the same compilation .*stamp .*obj\/pci\.gcno has/,
      ),
      // still pci.gcno's data file for gcov, whose counters it does not use (damaged-data.ts)
      expect.stringMatching(/obj\/pci\.gcda at 0x8: stamp 0x[0-9a-f]+ is not the notes' .*every count is 0/),
    ]);
    expect(r.objects.filter((o) => o.data).length).toBe(fx.ref.size);
    expect(r.objects.find((o) => o.notes === 'obj/pci.gcno')!.data).toMatch(/obj\/pci\.gcda$/);
    expect(
      r.objects
        .find((o) => o.notes === 'obj/pci.gcno')!
        .json.files.every((f) => f.lines.every((l) => l.count === 0)),
    ).toBe(true);
  });

  it('a .gcda with no .gcno of its name is a problem of its own', () => {
    const r = buildReport(
      notes('obj/').filter((n) => !n.name.endsWith('mmio.gcno')),
      data,
    );
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(/mmio\.gcda: no \.gcno/)]);
  });
});
