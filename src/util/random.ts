/** The source of randomness: retry jitter, `States.MathRandom`, `States.UUID`, `$random()`, `$uuid()`. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An RFC 4122 version 4 UUID. */
  uuid(): string;
}

/** Randomness from the platform: the Web Crypto API's UUIDs (a global in Node and browsers alike, no import). */
export const systemRandom: Random = { next: () => Math.random(), uuid: () => crypto.randomUUID() };

/** A deterministic generator (mulberry32) for tests and replay. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const uuid = (): string => {
    // RFC 4122 version 4: byte 6's high nibble is the version (4), byte 8's two high bits the variant (10).
    const bytes = Array.from({ length: 16 }, (_, i) => {
      const byte = Math.floor(next() * 256);
      return i === 6 ? (byte & 0x0f) | 0x40 : i === 8 ? (byte & 0x3f) | 0x80 : byte;
    });
    const h = bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { next, uuid };
}
