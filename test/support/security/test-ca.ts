// A throw-away certificate authority for TLS tests (openssl): a CA, a server certificate it signs for 127.0.0.1, and an
// unrelated second CA, so a test can show a client refuses the server until the user adds the right CA.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCa {
  dir: string;
  /** The CA that signed the server certificate (what the user adds). */
  caFile: string;
  /** A CA that did not sign it (adding it must not help). */
  otherCaFile: string;
  serverKey: Buffer;
  serverCert: Buffer;
  ca: Buffer;
  otherCa: Buffer;
  cleanup(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=Evolve test ${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

export function createTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-ca-'));
  const ca = makeCa(dir, 'ca');
  const other = makeCa(dir, 'other-ca');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['req', ...EC, '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  execFileSync(
    'openssl',
    ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext],
    { stdio: 'ignore' },
  );
  return {
    dir,
    caFile: ca.cert,
    otherCaFile: other.cert,
    serverKey: fs.readFileSync(key),
    serverCert: fs.readFileSync(cert),
    ca: fs.readFileSync(ca.cert),
    otherCa: fs.readFileSync(other.cert),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
