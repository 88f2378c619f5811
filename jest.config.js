/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  // Transpile only: `tsc --noEmit` (npm run typecheck, CI) checks the types. A type-checking
  // transform keeps a TypeScript program per worker, which makes the suite slower and the
  // workers larger.
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: { isolatedModules: true } }] },
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  // Guards against hangs only: under CPU contention an engine-backed test can take several times its usual time.
  testTimeout: 60000,
  // Two cores: engine-backed suites start redis-server processes, so keep workers modest.
  maxWorkers: 2,
  // Each test file leaves part of its module graph (Pulumi's runtime, gRPC, axios) in the worker's
  // heap; after some 40 files a worker holds over 1 GB, and tearing such a process down took longer
  // than the 500 ms jest allows once the suite is done ("A worker process has failed to exit
  // gracefully"), more so on a busy machine. A worker past this size is replaced between files.
  workerIdleMemoryLimit: "500MB",
};
