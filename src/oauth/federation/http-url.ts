/** Whether `value` is an absolute http(s) URL: the only kind an upstream provider's endpoints, issuer or metadata may be. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
