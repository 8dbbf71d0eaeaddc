// Preloaded by `npm start` (`node --require ./server/bin/thread-pool.cjs`): sizes libuv's thread
// pool to this machine's cores unless UV_THREADPOOL_SIZE is already set. libuv reads the variable
// once, when the pool first starts; an ES module runs after the loader has started it, so this is
// CommonJS, run before any module is loaded.
//
// Why: the server hands each Ed25519 verification to the pool (verifier/src/node-ed25519.ts) and
// LevelDB runs its reads and writes there. libuv's default of 4 threads on a 2-core machine made
// the event loop wait on the pool's queue lock: the whole server's POST /v1/verify took 226 µs of
// CPU per request with 4 threads and 211-214 µs with 2, and served 6,172-6,232 against
// 6,543-6,696 verifications/s (bench/verify.bench.ts, alternated runs, docs/SCALING.md);
// issuance did not change measurably.
"use strict";
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, require("node:os").availableParallelism()));
