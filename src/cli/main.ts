#!/usr/bin/env node
/** The executable behind `gradiente` (package.json "bin"). */
import { packageVersion } from './console.js';
import { run } from './program.js';

const status = await run(process.argv, await packageVersion());
// Let stdout drain (a pipe to jq, a test reading the output) before the status is set.
process.exitCode = status;
