import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals secrets at rest (signing keys, client secrets, SRP verifiers, TOTP seeds) with AES-256-GCM
 * under the master key. The optional `context` is bound as additional data, so a sealed value
 * copied to another row or purpose fails to open.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>`, base64url parts.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.key = masterKey;
  }

  seal(plaintext: string | Buffer, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Returns the plaintext, or null when the value was tampered with or sealed for another context. */
  open(sealed: string, context = ''): Buffer | null {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[1]!, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[3]!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[2]!, 'base64url')), decipher.final()]);
    } catch {
      return null;
    }
  }

  openString(sealed: string, context = ''): string | null {
    return this.open(sealed, context)?.toString('utf8') ?? null;
  }
}
