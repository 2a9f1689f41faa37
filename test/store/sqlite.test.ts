import { describe } from 'node:test';
import { sqliteEngine } from './harness.js';
import { defineStoreSuite } from './suite.js';

describe('store on SQLite', () => {
  defineStoreSuite(sqliteEngine);
});
