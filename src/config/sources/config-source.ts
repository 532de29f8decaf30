export type ConfigSourceKind = 'nacos' | 'snapshot' | 'file';

/**
 * Where the dynamic config document comes from. Small on purpose, so that the transport can
 * change (Nacos 3.2+ drops the v1 HTTP API this client speaks).
 */
export interface ConfigSource {
  readonly kind: ConfigSourceKind;
  /** The current document, or null when the source has none. Throws when unreachable. */
  read(): Promise<string | null>;
  /** Calls `listener` on every change of the document: its content, or null once deleted. */
  watch?(listener: (content: string | null) => void): void;
  close(): Promise<void>;
}
