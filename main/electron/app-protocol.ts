// Serves the built renderer from a privileged `evolve://app/` scheme instead of file://, so the page has a
// real origin ('self' in the CSP means exactly our files) and can never read other local files.
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { injectCspNonce, newCspNonce, styleSrc } from '../host/csp-nonce';
import { resolveStatic } from '../host/static-files';

export const APP_SCHEME = 'evolve';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** The page's CSP for one load: style-src allows only our files and this load's nonce (csp-nonce.ts). */
export function cspFor(styleNonce: string): string {
  return `default-src 'self'; script-src 'self'; ${styleSrc(styleNonce)}; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function handleAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'app' ? resolveStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(path.normalize(file)).toString());
    const headers = new Headers(response.headers);
    const nonce = newCspNonce();
    headers.set('Content-Security-Policy', cspFor(nonce));
    headers.set('X-Content-Type-Options', 'nosniff');
    if (response.ok && file.toLowerCase().endsWith('.html')) {
      // The page carries the same nonce as the header (the editor tags its <style> elements with it).
      const html = injectCspNonce(Buffer.from(await response.arrayBuffer()), nonce);
      headers.delete('Content-Length');
      return new Response(html, { status: response.status, headers });
    }
    return new Response(response.body, { status: response.status, headers });
  });
}
