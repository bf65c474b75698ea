/**
 * What a template produces: files relative to the repository root.
 *
 * @module
 */

/** One file a template or scaffold writes. */
export interface TemplateFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  /** The file's content. */
  readonly content: string;
  /** File mode. @default 0o644 */
  readonly mode?: number;
}

/** The application the example manifests and chart deploy. */
export interface AppTemplateOptions {
  /** Application name. @default "hello" */
  readonly name?: string;
  /** Container image. @default "nginx:1.27-alpine" */
  readonly image?: string;
  /** Container port. @default 80 */
  readonly port?: number;
  /** Namespace the application runs in. @default "apps" */
  readonly namespace?: string;
}

/** Defaults of {@linkcode AppTemplateOptions}. */
export const DEFAULT_APP: Required<AppTemplateOptions> = {
  name: "hello",
  image: "nginx:1.27-alpine",
  port: 80,
  namespace: "apps",
};
