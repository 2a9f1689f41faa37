// A handler that never answers, like one waiting on a database that went away: the benchmark's
// hung pool names it for its custom auth triggers, so every CUSTOM_AUTH sign-in there waits out
// Cognito's 5-second limit while the other paths run beside it.
export const handler = () => new Promise(() => {});
