/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testTimeout: 30000,
  // Two cores: engine-backed suites start redis-server processes, so keep workers modest.
  maxWorkers: 2,
  // A stray socket or timer in a dependency must not keep CI waiting after every test has ended;
  // engine processes are checked by the tests themselves.
  forceExit: true,
  // Examples import the package by its published name, as users do.
  moduleNameMapper: { "^pulumi-aiven-read-replicas$": "<rootDir>/index.ts" },
};
