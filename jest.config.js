/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testTimeout: 30000,
  // Two cores: engine-backed suites start redis-server processes, so keep workers modest.
  maxWorkers: 2,
};
