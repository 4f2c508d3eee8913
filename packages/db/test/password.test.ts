import { describe, expect, it } from "vitest";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "../src/password.ts";

describe("password hashing", () => {
  it("writes scrypt$N$r$p$salt$hash with a fresh salt each time", async () => {
    const first = await hashPassword("correct horse");
    const second = await hashPassword("correct horse");
    const parts = first.split("$");
    expect(parts.slice(0, 4)).toEqual(["scrypt", "16384", "8", "1"]);
    expect(Buffer.from(parts[4] ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? "", "base64")).toHaveLength(64);
    expect(second).not.toBe(first);
    expect(passwordNeedsRehash(first)).toBe(false);
  });

  it("verifies the right password only", async () => {
    const stored = await hashPassword("correct horse");
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsf", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("rejects malformed or oversized hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword("x", "scrypt$1000$8$1$c2FsdA==$aGFzaA==")).toBe(false); // N not a power of two
    expect(await verifyPassword("x", "scrypt$1048576$8$1$c2FsdA==$aGFzaA==")).toBe(false); // 1 GiB of memory
    expect(passwordNeedsRehash("scrypt$1024$8$1$c2FsdA==$aGFzaA==")).toBe(true);
  });
});
