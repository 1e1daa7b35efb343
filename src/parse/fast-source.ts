import type { Point, Position } from 'unist';

/** Thrown where the fast path meets Markdown it does not read; micromark parses the file instead. */
export class Unsupported extends Error {}

/** The text being parsed, with its line starts: offsets → points as micromark gives them. */
export class Source {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  point(offset: number): Point {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1, offset };
  }

  position(from: number, to: number): Position {
    return { start: this.point(from), end: this.point(to) };
  }
}
