#!/usr/bin/env node
// Kept as a committed shim so npm can link the bin before `tsc -b` has produced dist/.
import '../dist/main.js';
