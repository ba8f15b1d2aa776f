/**
 * gcov orders a file's functions with C++'s std::sort on (start line, start column). That
 * sort is not stable: functions at the same place (a C++ constructor's or destructor's
 * variants, a template's instances) come out in the order libstdc++'s introsort leaves them
 * in, which differs from their order in the notes once a file has more than 16 functions.
 * This is that algorithm, step for step (median-of-three pivot, unguarded partition, heap
 * sort past the depth limit, insertion sort of 16-element runs at the end), so that hvcov
 * lists them as gcov does. libstdc++ has sorted this way since GCC 4.9.
 */

/** `less(a, b)`: a sorts strictly before b. */
export type Less<T> = (a: T, b: T) => boolean;

/** Below this many elements introsort leaves a range to the final insertion sort. */
const THRESHOLD = 16;

/** Sorts `a` in place exactly as libstdc++'s std::sort(a.begin(), a.end(), less) does. */
export function stdSort<T>(a: T[], less: Less<T>): T[] {
  const n = a.length;
  if (n < 2) return a;
  introsortLoop(a, 0, n, 2 * (31 - Math.clz32(n)), less);
  finalInsertionSort(a, 0, n, less);
  return a;
}

function introsortLoop<T>(a: T[], first: number, last: number, depth: number, less: Less<T>): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      stdHeapSort(a, less, first, last);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, less);
    introsortLoop(a, cut, last, depth, less);
    last = cut;
  }
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The median of a[x], a[y], a[z] swapped into a[result]. */
function medianToFirst<T>(a: T[], result: number, x: number, y: number, z: number, less: Less<T>): void {
  if (less(a[x]!, a[y]!)) {
    if (less(a[y]!, a[z]!)) swap(a, result, y);
    else if (less(a[x]!, a[z]!)) swap(a, result, z);
    else swap(a, result, x);
  } else if (less(a[x]!, a[z]!)) swap(a, result, x);
  else if (less(a[y]!, a[z]!)) swap(a, result, z);
  else swap(a, result, y);
}

function partitionPivot<T>(a: T[], first: number, last: number, less: Less<T>): number {
  const mid = first + ((last - first) >> 1);
  medianToFirst(a, first, first + 1, mid, last - 1, less);
  // unguarded: the pivot at `first` stops both scans
  let lo = first + 1;
  let hi = last;
  const pivot = a[first]!;
  for (;;) {
    while (less(a[lo]!, pivot)) lo++;
    hi--;
    while (less(pivot, a[hi]!)) hi--;
    if (!(lo < hi)) return lo;
    swap(a, lo, hi);
    lo++;
  }
}

function finalInsertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  if (last - first > THRESHOLD) {
    insertionSort(a, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) linearInsert(a, i, less);
  } else insertionSort(a, first, last, less);
}

function insertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  for (let i = first + 1; i < last; i++) {
    const v = a[i]!;
    if (less(v, a[first]!)) {
      for (let k = i; k > first; k--) a[k] = a[k - 1]!;
      a[first] = v;
    } else linearInsert(a, i, less);
  }
}

/** Moves a[i] down past every element it sorts before (something before it stops it). */
function linearInsert<T>(a: T[], i: number, less: Less<T>): void {
  const v = a[i]!;
  let k = i;
  while (less(v, a[k - 1]!)) {
    a[k] = a[k - 1]!;
    k--;
  }
  a[k] = v;
}

/**
 * std::partial_sort(first, last, last, less): make_heap, then sort_heap. What introsort falls
 * back to past its depth limit; exported for its test against libstdc++.
 */
export function stdHeapSort<T>(a: T[], less: Less<T>, first = 0, last = a.length): void {
  const len = last - first;
  if (len >= 2)
    for (let parent = (len - 2) >> 1; ; parent--) {
      adjustHeap(a, first, parent, len, a[first + parent]!, less);
      if (parent === 0) break;
    }
  for (let end = last; end - first > 1;) {
    end--;
    // pop_heap: the top goes to `end`, the old a[end] sifts down from the top
    const v = a[end]!;
    a[end] = a[first]!;
    adjustHeap(a, first, 0, end - first, v, less);
  }
}

function adjustHeap<T>(a: T[], first: number, hole: number, len: number, v: T, less: Less<T>): void {
  const top = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if (less(a[first + child]!, a[first + child - 1]!)) child--;
    a[first + hole] = a[first + child]!;
    hole = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    a[first + hole] = a[first + child - 1]!;
    hole = child - 1;
  }
  // push_heap
  let parent = (hole - 1) >> 1;
  while (hole > top && less(a[first + parent]!, v)) {
    a[first + hole] = a[first + parent]!;
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  a[first + hole] = v;
}
