/**
 * Text parsers beyond the extractors and the install-command grammar, by target name, for the
 * linear-time checks (linear-worker.ts). One line per parser.
 */
export const TEXT_TARGETS: Record<string, (text: string) => unknown> = {};
