#!/usr/bin/env node
import { cognateCommand } from './tools-cli/cognate.js';

// Only a failure sets the status: a command that leaves one of its own (the supervisor's) keeps it.
void cognateCommand(process.argv.slice(2)).then((status) => {
  if (status !== 0) process.exitCode = status;
});
