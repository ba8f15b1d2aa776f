/**
 * Appends `items` to `target` one at a time. `target.push(...items)` passes every item as an
 * argument on the stack and throws RangeError from about 100,000 of them (a 260,000-line
 * source file's Cobertura lines did), so arrays whose size follows the input go through here.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const x of items) target.push(x);
}
