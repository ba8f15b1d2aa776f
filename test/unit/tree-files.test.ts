/** The CLI's folder walk: each folder once, real names first, no pipe or dangling link read. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/gcov/errors';
import { treeFiles } from '../../src/cli/inputs';

describe('treeFiles', () => {
  it('lists each file once under its real folder, and the rest as problems', () => {
    const root = mkdtempSync(join(tmpdir(), 'hvcov-tree-'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    writeFileSync(join(root, 'a', 'x.gcno'), 'x');
    writeFileSync(join(root, 'b', 'y.gcno'), 'y');
    writeFileSync(join(root, 'b', 'y.txt'), 'not listed');
    // a link that sorts before the folder it names, two loops, a link out of the tree
    symlinkSync(join(root, 'b'), join(root, '0-link-to-b'));
    symlinkSync('..', join(root, 'b', 'up'));
    symlinkSync('..', join(root, 'a', 'up'));
    const outside = mkdtempSync(join(tmpdir(), 'hvcov-tree-out-'));
    writeFileSync(join(outside, 'z.gcno'), 'z');
    symlinkSync(outside, join(root, 'ext'));
    // no regular file: a dangling link and a pipe
    symlinkSync(join(root, 'nowhere'), join(root, 'd.gcno'));
    execFileSync('mkfifo', [join(root, 'p.gcno')]);

    const others: InputError[] = [];
    const files = treeFiles(root, '.gcno', others).map((f) => relative(root, f));
    expect(files).toEqual(['a/x.gcno', 'b/y.gcno', 'ext/z.gcno']);
    expect(others.map((e) => [relative(root, e.file), e.reason])).toEqual([
      ['p.gcno', 'not a regular file (a pipe, socket or device): left out'],
      ['d.gcno', 'cannot be read (ENOENT)'],
    ]);
  });
});
