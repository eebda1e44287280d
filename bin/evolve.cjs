#!/usr/bin/env node
// Entry point of the `evolve` command: runs the built CLI (npm run build makes out/main/cli.cjs).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'out', 'main', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('evolve: not built yet — run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require(cli).run(process.argv.slice(2));
