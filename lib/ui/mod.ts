/**
 * Progress reporting: the {@linkcode Reporter} contract, a silent default, a
 * terminal reporter and a JSON-events reporter.
 *
 * @module
 */

export * from "./reporter.ts";
export * from "./terminal.ts";
