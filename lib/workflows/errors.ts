/**
 * Errors of the workflows.
 *
 * @module
 */

/** Docker is installed but its daemon does not answer. */
export class DockerUnavailableError extends Error {
  /** The cluster the workflow was for. */
  readonly cluster: string;
  /** What `docker version` said. */
  readonly detail: string;

  /**
   * Creates the error.
   *
   * @param cluster The cluster name.
   * @param detail The end of docker's error output.
   */
  constructor(cluster: string, detail: string) {
    super(
      `Cannot bring up "${cluster}": the Docker daemon is not reachable (${detail}). ` +
        "Start Docker (or set DOCKER_HOST) and retry.",
    );
    this.name = "DockerUnavailableError";
    this.cluster = cluster;
    this.detail = detail;
  }
}
