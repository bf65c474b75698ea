/**
 * Go's number formatting, so values hash and print exactly as the Go sops does.
 *
 * @module
 */

/** Shortest digits and decimal exponent of a finite number: d.ddd × 10^exp. */
function digits(x: number): { neg: boolean; digits: string; exp: number } {
  const s = Math.abs(x).toExponential();
  const [mant, e] = s.split("e") as [string, string];
  return { neg: x < 0 || Object.is(x, -0), digits: mant.replace(".", ""), exp: Number(e) };
}

/** `strconv.FormatFloat(x, 'f', -1, 64)`. */
export function formatFloatF(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const { neg, digits: d, exp } = digits(x);
  let out: string;
  if (exp < 0) out = "0." + "0".repeat(-exp - 1) + d;
  else if (d.length <= exp + 1) out = d + "0".repeat(exp + 1 - d.length);
  else out = d.slice(0, exp + 1) + "." + d.slice(exp + 1);
  return (neg ? "-" : "") + out;
}

/** `strconv.FormatFloat(x, 'g', -1, 64)` (what yaml.v3 writes for floats). */
export function formatFloatG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const { neg, digits: d, exp } = digits(x);
  // Go: with the shortest precision, %e is used when exp < -4 || exp >= 6.
  if (exp < -4 || exp >= 6) return (neg ? "-" : "") + eForm(d, exp);
  return formatFloatF(x);
}

function eForm(d: string, exp: number): string {
  const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
  const sign = exp < 0 ? "-" : "+";
  const e = Math.abs(exp);
  return `${mant}e${sign}${e < 10 ? "0" : ""}${e}`;
}

/** `encoding/json`'s float form: 'f' unless tiny or huge, then 'e' with a short exponent. */
export function formatFloatJSON(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const { neg, digits: d, exp } = digits(x);
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    return `${neg ? "-" : ""}${mant}e${exp < 0 ? "-" : "+"}${Math.abs(exp) < 10 ? "0" : ""}${
      Math.abs(exp)
    }`
      .replace(/e([-+])0(\d)$/, "e$1$2");
  }
  return formatFloatF(x);
}
