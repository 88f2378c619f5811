// One home for the toolchain locator: the demo and the engine bench use it too.
export * from "../../scripts/findToolchain";
