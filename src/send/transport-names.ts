// A module of its own, importing nothing: the config schema takes its choices from it without
// depending on the send stage's types (which depend on the config).

/**
 * Names of the transports `createTransport` knows: the choices of `transport.default` in the
 * config, `send --transport` and `serve --transport`. Add a transport here first (README →
 * Development).
 */
export const TRANSPORT_NAMES = ['outbox', 'resend', 'smtp'] as const;

/** One of {@link TRANSPORT_NAMES}. */
export type TransportName = (typeof TRANSPORT_NAMES)[number];
