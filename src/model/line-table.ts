/**
 * The lines of one source file (or of one group function) by number. A large file has
 * ~10^5 lines, each looked up once per block location: a slot array indexed by line
 * number is much cheaper than a Map. Numbers too large for it (a hostile .gcno can name
 * any 32-bit line) go to a Map.
 */

/** Line numbers from here on are kept in the Map. */
const DENSE_LINES = 1 << 22;

const NO_SLOTS = new Int32Array(0);

export class LineTable<L extends { readonly lineNumber: number }> {
  /** The lines, in the order they were added. */
  readonly lines: L[] = [];
  /** Line number -> 1 + its position in `lines`; 0: none. */
  private slots = NO_SLOTS;
  private far: Map<number, number> | undefined;

  constructor() {
    // Replaced as the table grows: written a second time here, so that V8 knows from the
    // first table that the field changes, instead of finding out at the first line added
    // and throwing away the optimized code of every function that makes tables.
    this.slots = new Int32Array(0);
  }

  get size(): number {
    return this.lines.length;
  }

  get(n: number): L | undefined {
    if (n < DENSE_LINES) {
      const s = n < this.slots.length ? this.slots[n]! : 0;
      return s > 0 ? this.lines[s - 1] : undefined;
    }
    const i = this.far?.get(n);
    return i === undefined ? undefined : this.lines[i];
  }

  /** Adds a line whose number is not in the table yet. */
  add(line: L): void {
    const n = line.lineNumber;
    const pos = this.lines.push(line);
    if (n >= DENSE_LINES) {
      (this.far ??= new Map()).set(n, pos - 1);
      return;
    }
    if (n >= this.slots.length) {
      const grown = new Int32Array(Math.min(DENSE_LINES, Math.max(n + 1, 2 * this.slots.length, 256)));
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[n] = pos;
  }

  /** The lines by ascending number. */
  sorted(): L[] {
    return this.lines.slice().sort((a, b) => a.lineNumber - b.lineNumber);
  }
}
