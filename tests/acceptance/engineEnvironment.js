// The acceptance stage's jest environment. An inline program runs inside the test process, where
// its unhandled rejections (a program that throws, a resource the engine failed) are what the
// Pulumi language host reports as the run's error. Jest would count them as a crash of the current
// test instead: while an engine operation runs, they are kept aside, not reported to jest.
const { TestEnvironment } = require("jest-environment-node");

const RUNNING = Symbol.for("aiven-read-replicas/acceptance-engine-operation");
const SET_ASIDE = Symbol.for("aiven-read-replicas/acceptance-set-aside-errors");
const EVENTS = ["uncaughtException", "unhandledRejection"];

class EngineEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[SET_ASIDE] = [];
    this.wrappers = [];
  }

  handleTestEvent(event) {
    if (event.name === "setup") {
      const parent = event.parentProcess;
      for (const name of EVENTS) {
        for (const jestHandler of parent.listeners(name)) {
          const wrapper = (error, ...rest) => {
            if (this.global[RUNNING]) this.global[SET_ASIDE].push(error);
            else jestHandler(error, ...rest);
          };
          parent.removeListener(name, jestHandler);
          parent.on(name, wrapper);
          this.wrappers.push({ parent, name, jestHandler, wrapper });
        }
      }
    }
    if (event.name === "teardown") {
      for (const { parent, name, wrapper } of this.wrappers.splice(0)) parent.removeListener(name, wrapper);
    }
  }
}

module.exports = EngineEnvironment;
