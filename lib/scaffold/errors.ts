/**
 * Errors of the scaffolder.
 *
 * @module
 */

/** A repository cannot be scaffolded as asked. */
export class ScaffoldError extends Error {
  /** The target directory. */
  readonly dir: string;

  /**
   * Creates the error.
   *
   * @param dir The target directory.
   * @param reason Why, completing "Cannot scaffold <dir>: …".
   * @param options The underlying cause.
   */
  constructor(dir: string, reason: string, options?: ErrorOptions) {
    super(`Cannot scaffold ${dir}: ${reason}`, options);
    this.name = "ScaffoldError";
    this.dir = dir;
  }
}
