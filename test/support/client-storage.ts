import type { ICognitoStorage } from 'amazon-cognito-identity-js';
import type { KeyValueStorageInterface } from 'aws-amplify/utils';

/** amazon-cognito-identity-js's storage: in memory, one per simulated browser. */
export class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

/** Amplify v6's token store: in memory, so that each scenario can start from nothing. */
export class AsyncMemoryStorage implements KeyValueStorageInterface {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }
  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string): Promise<void> {
    this.items.delete(key);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}

/**
 * Records every Cognito API call a browser-style client makes through `fetch`, as `Operation` or
 * `Operation:<ChallengeName or AuthFlow>`, into `calls`; returns the function that stops recording.
 */
export function recordApiCalls(calls: string[]): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = new Headers(init?.headers).get('X-Amz-Target');
    if (target) {
      const operation = target.split('.').pop()!;
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { ChallengeName?: string; AuthFlow?: string }) : {};
      calls.push(body.ChallengeName ? `${operation}:${body.ChallengeName}` : body.AuthFlow ? `${operation}:${body.AuthFlow}` : operation);
    }
    return realFetch(input, init);
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}
