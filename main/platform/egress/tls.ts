// Certificate trust for every outbound client: reading a user's CA file, and recognising a refused certificate (anywhere
// in an error's cause chain) as one typed error naming the problem and the fix — never retried, never a bare "fetch failed".
import fs from 'node:fs';
import tls from 'node:tls';
import { EvolveError } from '../../../common/errors';

/**
 * Node's `ca` option replaces the system roots; a user's CA is meant to be added to them (a company mirror that
 * redirects to a public CDN must keep working), so the trusted list is the system roots plus `extra`.
 */
export function withSystemRoots(extra: Buffer | undefined): { ca?: string[] } {
  return extra ? { ca: [...tls.rootCertificates, extra.toString('utf8')] } : {};
}

/** A PEM CA file the user chose, read once; an unreadable or non-PEM file is INVALID_ARGUMENT, never "no CA". */
export function readCaFile(file: string): Buffer {
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (e) {
    throw new EvolveError('INVALID_ARGUMENT', `Cannot read the CA file ${file}: ${(e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new EvolveError('INVALID_ARGUMENT', `The CA file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

/** OpenSSL/Node codes of a certificate the client refused (not network or protocol failures). */
const CERT_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted (self-signed) CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is signed by a CA this app does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate is signed by a CA this app does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is signed by a CA this app does not trust',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate was revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
};

export interface CertificateProblem {
  code: string;
  problem: string;
}

/** The certificate problem behind `e` (fetch and SDKs wrap it in up to a few `cause`s); undefined for anything else. */
export function certificateProblem(e: unknown): CertificateProblem | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur; i++) {
    // nodemailer replaces `code` with the SMTP step's (ESOCKET) and keeps the socket's as `originalCode`.
    for (const code of [(cur as { code?: unknown }).code, (cur as { originalCode?: unknown }).originalCode])
      if (typeof code === 'string' && code in CERT_CODES) return { code, problem: CERT_CODES[code] as string };
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * UNAVAILABLE with `details.reason = 'tls-certificate'`: "TLS certificate check failed for <where>: <problem> (<CODE>);
 * <fix>", where `fix` (lower case) names the client's own CA setting.
 */
export function certificateError(where: string, p: CertificateProblem, fix: string): EvolveError {
  return new EvolveError('UNAVAILABLE', `TLS certificate check failed for ${where}: ${p.problem} (${p.code}); ${fix}`, {
    reason: 'tls-certificate',
    code: p.code,
  });
}
