// This page load's CSP style nonce, which the host wrote into <meta name="evolve-csp-nonce"> (main/host/csp-nonce.ts).
// CodeMirror tags its <style> elements with it; without a host-provided value the editor's styles are refused.
const PLACEHOLDER = 'EVOLVE_CSP_NONCE';

export function cspNonce(): string {
  const value = document.querySelector('meta[name="evolve-csp-nonce"]')?.getAttribute('content') ?? '';
  return value === PLACEHOLDER ? '' : value;
}
