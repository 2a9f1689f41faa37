/** A device's push notification of a dataset change, as Cognito Sync sends it through SNS. */
export interface SyncPushNotification {
  readonly platform: string;
  readonly token: string;
  readonly deviceId: string;
  /** What the device's app receives: Cognito Sync's `data` payload. */
  readonly message: {
    readonly data: {
      readonly source: 'cognito-sync';
      readonly type: 'push-sync';
      readonly identityPoolId: string;
      readonly identityId: string;
      readonly datasetName: string;
      readonly syncCount: number;
    };
  };
}

/**
 * POSTs one device's notification to the push webhook as JSON, in place of SNS's delivery to APNS,
 * GCM or ADM; the reason it failed (the status or the error's kind), or undefined when it was
 * taken (2xx).
 */
export async function postSyncPush(url: string, notification: SyncPushNotification, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status <= 299 ? undefined : `answered ${response.status}`;
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
  }
}
