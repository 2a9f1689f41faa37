import { describeOnPostgres } from './harness.js';
import { defineStoreSuite } from './suite.js';

describeOnPostgres('store on PostgreSQL', defineStoreSuite);
