#!/usr/bin/env node
// Kept as a committed shim so npm can link the bin before the build has produced bundle/ (scripts/bundle.mjs).
import '../bundle/bin.js';
