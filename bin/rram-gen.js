#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

await main(process.argv);
// The command has finished (process.exitCode is set): exit now instead of
// waiting for Node to tear down the heap and the golden model's 64 MiB
// WebAssembly arena, a sizeable part of a small build's time. What was
// written goes out first: where pipes are asynchronous, the callbacks run
// once stdout and stderr have taken it.
process.stdout.write('', () => process.stderr.write('', () => process.exit()));
