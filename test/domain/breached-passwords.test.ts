import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breachedPasswordCount, isBreachedPassword } from '../../src/domain/breached-passwords.js';

test('the shipped corpus holds the tens of thousands of most common breached passwords', () => {
  assert.equal(breachedPasswordCount(), 49233);
  // The first, a middle and the last of the source list (most common first).
  for (const password of ['123456', 'password', 'iloveyou', 'sunshine1', '1qaz2wsx'])
    assert.equal(isBreachedPassword(password), true, password);
});

test('a password not on the list is not reported, whatever its case or length', () => {
  for (const password of ['Xk2!pQ9#vL', 'PASSWORD', 'password ', '', 'a'.repeat(256)])
    assert.equal(isBreachedPassword(password), false, password);
});
