// Per-load CSP nonce for style elements: the renderer's index.html carries a placeholder that both hosts (browser
// host, Electron's evolve:// scheme) replace with a fresh random value in the page and in the CSP header, so the
// editor (CodeMirror injects <style> elements, tagged through EditorView.cspNonce) works while style-src stays
// 'self' + that one nonce — no 'unsafe-inline'. Scripts get no nonce: script-src stays 'self'.
import { randomBytes } from 'node:crypto';

/** The literal placeholder in renderer/index.html (meta CSP and the evolve-csp-nonce meta tag). */
export const CSP_NONCE_PLACEHOLDER = 'EVOLVE_CSP_NONCE';

/** 128 bits of randomness, base64 (the CSP nonce grammar allows base64 and base64url). */
export function newCspNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The style-src directive for one page load. */
export function styleSrc(nonce: string): string {
  return `style-src 'self' 'nonce-${nonce}'`;
}

/** Puts the nonce into an HTML page in place of every placeholder. */
export function injectCspNonce(html: Buffer, nonce: string): Buffer {
  return Buffer.from(html.toString('utf8').split(CSP_NONCE_PLACEHOLDER).join(nonce), 'utf8');
}
