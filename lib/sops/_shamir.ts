/**
 * Shamir secret sharing over GF(2^8), share layout identical to sops
 * (`y bytes || x`), so key groups interoperate.
 *
 * @module
 */

function mult(a: number, b: number): number {
  let acc = 0;
  for (let i = 7; i >= 0; i--) {
    const bit = (b >> i) & 1;
    const aOrZero = bit ? a : 0;
    const zeroOr1B = (acc >> 7) & 1 ? 0x1b : 0;
    acc = aOrZero ^ (zeroOr1B ^ ((acc << 1) & 0xff));
  }
  return acc;
}

function inverse(a: number): number {
  let b = mult(a, a);
  let c = mult(a, b);
  b = mult(c, c);
  b = mult(b, b);
  c = mult(b, c);
  b = mult(b, b);
  b = mult(b, b);
  b = mult(b, c);
  b = mult(b, b);
  b = mult(a, b);
  return mult(b, b);
}

function div(a: number, b: number): number {
  return mult(a, inverse(b));
}

/**
 * Splits a secret into `parts` shares, any `threshold` of which recover it.
 *
 * @throws {RangeError} On impossible parameters.
 */
export function shamirSplit(secret: Uint8Array, parts: number, threshold: number): Uint8Array[] {
  if (parts < threshold) throw new RangeError("parts cannot be less than threshold");
  if (parts > 255 || threshold > 255) throw new RangeError("parts and threshold cannot exceed 255");
  if (threshold < 2) throw new RangeError("threshold must be at least 2");
  if (secret.length === 0) throw new RangeError("cannot split an empty secret");
  const out = Array.from({ length: parts }, (_, i) => {
    const s = new Uint8Array(secret.length + 1);
    s[secret.length] = i + 1;
    return s;
  });
  for (let idx = 0; idx < secret.length; idx++) {
    const coeffs = new Uint8Array(threshold);
    crypto.getRandomValues(coeffs);
    coeffs[0] = secret[idx]!;
    for (let i = 0; i < parts; i++) {
      const x = i + 1;
      let y = coeffs[threshold - 1]!;
      for (let d = threshold - 2; d >= 0; d--) y = mult(y, x) ^ coeffs[d]!;
      out[i]![idx] = y;
    }
  }
  return out;
}

/**
 * Recombines shares.
 *
 * @throws {RangeError} On fewer than two shares, unequal lengths or duplicates.
 */
export function shamirCombine(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length < 2) {
    throw new RangeError("less than two parts cannot be used to reconstruct the secret");
  }
  const len = parts[0]!.length;
  if (len < 2) throw new RangeError("parts must be at least two bytes");
  if (parts.some((p) => p.length !== len)) {
    throw new RangeError("all parts must be the same length");
  }
  const xs = parts.map((p) => p[len - 1]!);
  if (new Set(xs).size !== xs.length) throw new RangeError("duplicate part detected");
  const secret = new Uint8Array(len - 1);
  for (let idx = 0; idx < len - 1; idx++) {
    let result = 0;
    for (let i = 0; i < parts.length; i++) {
      let basis = 1;
      for (let j = 0; j < parts.length; j++) {
        if (i === j) continue;
        basis = mult(basis, div(xs[j]!, xs[i]! ^ xs[j]!));
      }
      result ^= mult(parts[i]![idx]!, basis);
    }
    secret[idx] = result;
  }
  return secret;
}
