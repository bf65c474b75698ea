/**
 * Small HTTP helpers shared by the cloud key providers.
 *
 * @module
 */

import { SopsKeyProviderError } from "../errors.ts";

/** Base64 of bytes. */
export function toB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Bytes of base64 (standard or URL alphabet, padding optional). */
export function fromB64(text: string): Uint8Array<ArrayBuffer> {
  const s = text.replace(/-/g, "+").replace(/_/g, "/").replace(/\s+/g, "");
  const pad = s.length % 4 ? "=".repeat(4 - (s.length % 4)) : "";
  return Uint8Array.from(atob(s + pad), (c) => c.charCodeAt(0));
}

/** Base64url without padding. */
export function toB64Url(bytes: Uint8Array): string {
  return toB64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * POSTs and parses a JSON response; non-2xx responses become a provider error
 * that carries the service's message (never the request body).
 */
export async function postJson(
  fetcher: typeof fetch,
  keyName: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetcher(url, { method: "POST", headers: init.headers, body: init.body });
  } catch (cause) {
    throw new SopsKeyProviderError(
      keyName,
      `request to ${new URL(url).origin} failed: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let msg = text.slice(0, 300);
    try {
      const j = JSON.parse(text);
      msg = j?.error?.message ?? j?.message ?? j?.errors?.join?.("; ") ?? j?.__type ?? msg;
    } catch { /* keep text */ }
    throw new SopsKeyProviderError(
      keyName,
      `HTTP ${res.status} from ${new URL(url).origin}: ${msg}`,
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new SopsKeyProviderError(keyName, "the service returned invalid JSON", { cause });
  }
}
