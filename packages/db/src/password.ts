// Password hashing shared by the seed and the auth subgraph: scrypt from node:crypto, no native dependency.
// Stored format: `scrypt$N$r$p$saltB64$hashB64` (N=16384, r=8, p=1, 16-byte salt, 64-byte key), so the
// parameters travel with the hash and can be raised later without invalidating existing rows.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const SCRYPT_N = 16384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
/** Refuse stored parameters that would make one verification cost more than ~256 MiB of memory. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

function deriveKey(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

function memoryFor(n: number, r: number, p: number): number {
  // scrypt needs about 128 * N * r bytes (plus 128 * r * p); leave headroom above Node's 32 MiB default.
  return 128 * n * r + 128 * r * p + 1024 * 1024;
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_LENGTH, {
    N: SCRYPT_N,
    r: SCRYPT_R,
    p: SCRYPT_P,
    maxmem: memoryFor(SCRYPT_N, SCRYPT_R, SCRYPT_P),
  });
  return ["scrypt", SCRYPT_N, SCRYPT_R, SCRYPT_P, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [, nText, rText, pText, saltText, keyText] = parts;
  if (!nText || !rText || !pText || !saltText || !keyText) return null;
  const n = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  if (![n, r, p].every((value) => Number.isSafeInteger(value) && value > 0)) return null;
  // N must be a power of two greater than 1.
  if (n < 2 || (n & (n - 1)) !== 0) return null;
  if (memoryFor(n, r, p) > MAX_MEMORY_BYTES) return null;
  const salt = Buffer.from(saltText, "base64");
  const key = Buffer.from(keyText, "base64");
  if (salt.length === 0 || key.length === 0) return null;
  return { n, r, p, salt, key };
}

/** True when `password` matches `stored`; false for a wrong password or a malformed/unsupported hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await deriveKey(password, parsed.salt, parsed.key.length, {
    N: parsed.n,
    r: parsed.r,
    p: parsed.p,
    maxmem: memoryFor(parsed.n, parsed.r, parsed.p),
  });
  return timingSafeEqual(key, parsed.key);
}

/** True when a stored hash uses weaker parameters than the current ones (re-hash after a successful login). */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return parsed.n < SCRYPT_N || parsed.r < SCRYPT_R || parsed.p < SCRYPT_P || parsed.key.length < KEY_LENGTH;
}
