/**
 * A one-time code challenge for CUSTOM_AUTH, its three handlers written as AWS's developer guide
 * writes them: create "sends" a code (to an outbox folder the test reads, where a real one would
 * email it) and keeps it in privateChallengeParameters and, for retries, in challengeMetadata;
 * verify compares; define allows three tries, and runs the password first when the client starts
 * with SRP_A. Every handler also writes the event it got to a file, so that tests see what Cognate
 * sent in any mode (module, url, lambdaEndpoint).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { functionArn } from './functions.js';

/** What the handlers record: the parts of the events the tests look at. */
export interface RecordedEvent {
  triggerSource: string;
  userName: string;
  userPoolId: string;
  callerContext: Record<string, string>;
  request: {
    userAttributes: Record<string, string>;
    session?: unknown[];
    clientMetadata?: Record<string, string>;
    userNotFound?: boolean;
    challengeName?: string;
    privateChallengeParameters?: Record<string, string>;
    challengeAnswer?: string;
  };
  response: Record<string, unknown>;
}

export interface OtpChallenge {
  /** Handler sources by function name, for `moduleFunctions`. */
  readonly sources: Record<string, string>;
  /** The pool's LambdaConfig naming the three handlers. */
  readonly lambdaConfig: LambdaConfigType;
  /** The code the create trigger "sent" to a user (fails the test when none was sent). */
  sentCode(userName: string): string;
  /** The events a handler received for one user, oldest first. */
  events(handler: string, userName: string): RecordedEvent[];
}

export function otpChallenge(): OtpChallenge {
  const outbox = mkdtempSync(join(tmpdir(), 'cognate-outbox-'));
  const eventsDir = mkdtempSync(join(tmpdir(), 'cognate-events-'));
  const record = (name: string): string =>
    `import { appendFileSync } from 'node:fs';\nconst record = (event) => appendFileSync(${JSON.stringify(join(eventsDir, `${name}.jsonl`))}, JSON.stringify(event) + '\\n');\n`;
  return {
    sources: {
      'define-auth-challenge': `${record('define-auth-challenge')}
export const handler = async (event) => {
  record(event);
  const session = event.request.session;
  const last = session[session.length - 1];
  const customRounds = session.filter((round) => round.challengeName === 'CUSTOM_CHALLENGE');
  if (last && last.challengeName === 'SRP_A') {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (customRounds.length >= 3) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
`,
      'create-auth-challenge': `${record('create-auth-challenge')}
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
export const handler = async (event) => {
  record(event);
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') return event;
  const previous = event.request.session.filter((round) => round.challengeName === 'CUSTOM_CHALLENGE').pop();
  let secretLoginCode;
  if (previous) {
    // A retry keeps the code already sent.
    secretLoginCode = previous.challengeMetadata.match(/CODE-(\\d*)/)[1];
  } else {
    secretLoginCode = String(randomInt(100000, 1000000));
    writeFileSync(${JSON.stringify(outbox)} + '/' + encodeURIComponent(event.userName), secretLoginCode);
  }
  event.response.publicChallengeParameters = { email: event.request.userAttributes.email ?? '' };
  event.response.privateChallengeParameters = { secretLoginCode };
  event.response.challengeMetadata = \`CODE-\${secretLoginCode}\`;
  return event;
};
`,
      'verify-auth-challenge-response': `${record('verify-auth-challenge-response')}
export const handler = async (event) => {
  record(event);
  const expectedAnswer = event.request.privateChallengeParameters.secretLoginCode;
  event.response.answerCorrect = event.request.challengeAnswer === expectedAnswer;
  return event;
};
`,
    },
    lambdaConfig: {
      DefineAuthChallenge: functionArn('define-auth-challenge'),
      CreateAuthChallenge: functionArn('create-auth-challenge'),
      VerifyAuthChallengeResponse: functionArn('verify-auth-challenge-response'),
    },
    sentCode(userName) {
      const file = join(outbox, encodeURIComponent(userName));
      assert.ok(existsSync(file), `the create trigger sent ${userName} a code`);
      return readFileSync(file, 'utf8');
    },
    events(handler, userName) {
      const file = join(eventsDir, `${handler}.jsonl`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as RecordedEvent)
        .filter((event) => event.userName === userName);
    },
  };
}
