/**
 * Deterministic randomness: every number the simulation draws comes from a
 * hash of what it describes (an account, a day, a post, a comment), never
 * from Math.random, so the same account at the same moment always looks the
 * same, in any process.
 */

/** FNV-1a over the parts, joined with a separator no handle contains. */
export function hash(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join("\u0000");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stream of uniform numbers in [0, 1) from one seed (mulberry32). */
export class Draws {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The draws for one named thing: `draws(seed, "post", day)`. */
export const draws = (...parts: (string | number)[]): Draws => new Draws(hash(...parts));
