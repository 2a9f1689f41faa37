import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate for the test server, and the folder that holds it (remove it after). */
export interface TestCertificate {
  dir: string;
  cert: string;
  key: string;
}

/**
 * Makes a self-signed certificate with openssl, valid two days for 127.0.0.1, localhost and every
 * prefix domain under `auth.localhost`: Amplify v6 builds `https://` URLs for the hosted UI, so
 * tests of it need Cognate on TLS.
 */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.auth.localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { dir, cert, key };
}
