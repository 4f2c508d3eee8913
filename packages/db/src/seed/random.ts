// Deterministic randomness and identifiers for the seed: the same key always yields the same values.
import { createHash } from "node:crypto";

/** Namespace of every seeded id (a fixed random UUID), so seeded ids cannot collide with other v5 uuids. */
const SEED_NAMESPACE = Buffer.from("6f1b8f3c2d7a4e0b9c5d1a2b3c4d5e6f", "hex");

/**
 * A name-based (RFC 4122 version 5 layout) UUID: sha1(namespace + key), version and variant bits set.
 * `stableUuid("content:42")` is the same on every run, so re-seeding finds the row it wrote before.
 */
export function stableUuid(key: string): string {
  const hash = createHash("sha1").update(SEED_NAMESPACE).update(key, "utf8").digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** 32-bit FNV-1a of a string: turns a key such as "content:42" into a PRNG seed. */
export function hashSeed(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience wrapper over mulberry32 with the draws the generators need. */
export class Random {
  private readonly next: () => number;

  constructor(key: string) {
    this.next = mulberry32(hashSeed(key));
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Random.pick: empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error("Random.weighted: no weights");
    return last[0];
  }

  /** `count` distinct items, in a random order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const take = Math.min(count, copy.length);
    for (let index = 0; index < take; index += 1) {
      const swap = index + Math.floor(this.next() * (copy.length - index));
      const current = copy[index] as T;
      copy[index] = copy[swap] as T;
      copy[swap] = current;
    }
    return copy.slice(0, take);
  }
}
