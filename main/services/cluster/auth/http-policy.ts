// Whether a token may go to a URL: https always; http:// only to loopback, unless the profile allows plain http (then
// with a warning). Checked before any socket opens, so a refused token never leaves the process.
import { EvolveError } from '../../../../common/errors';

/** Hosts whose traffic never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export type TokenOverHttp = 'https' | 'loopback-http' | 'http-allowed' | 'http-refused';

/** How a token to `url` is judged; `refuse` is the profile's refuseTokenOverHttp. */
export function judgeTokenUrl(url: string | URL, refuse: boolean): TokenOverHttp {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'http:') return 'https';
  if (isLoopbackHost(u.hostname)) return 'loopback-http';
  return refuse ? 'http-refused' : 'http-allowed';
}

/** The typed refusal: FORBIDDEN, naming the URL and the setting that allows it. */
export function tokenOverHttpError(serviceName: string, url: string | URL): EvolveError {
  const origin = (typeof url === 'string' ? new URL(url) : url).origin;
  return new EvolveError(
    'FORBIDDEN',
    `Not sending the cluster token to ${serviceName} at ${origin}: it is plain http:// on the network. Use https://, a loopback ` +
      'tunnel, or turn off "Refuse tokens over http" in the profile',
    { reason: 'token-over-http', origin },
  );
}

/** The profile's URLs that would carry a token over plain http (for the form's warning). */
export function httpUrlsOf(urls: (string | undefined)[]): string[] {
  return urls.filter((u): u is string => !!u && /^http:\/\//i.test(u));
}
