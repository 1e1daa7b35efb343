/**
 * An in-process SMTP relay (smtp-server on loopback, plain text, no auth) that misbehaves on
 * request: it can drop the connection before its reply to RCPT TO (the message certainly was not
 * taken), or after it received the whole message but before its `250` (it was taken, the sender
 * cannot know), or hold that reply until the test lets it go.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** What the relay does at a step; `attempt` counts from 1 per recipient and step. */
export interface RelayFaults {
  /** At RCPT TO: `drop` the connection before replying, or reply with a code (e.g. 451, 550). */
  rcpt?: (to: string, attempt: number) => 'drop' | number | undefined;
  /**
   * After the end of the message: `drop` the connection before the reply (the relay keeps the
   * message), or a promise the `250` waits for.
   */
  data?: (to: string, attempt: number) => 'drop' | Promise<void> | undefined;
}

/** A message the relay received whole (whether or not the sender heard its `250`). */
export interface Taken {
  to: string;
  raw: Buffer;
  /** False when the relay dropped the connection instead of replying. */
  replied: boolean;
}

/** A running relay. */
export interface Relay {
  port: number;
  /** Every message received whole, in order: what the recipients got. */
  taken: Taken[];
  /** Messages taken per recipient address. */
  copies(): Map<string, number>;
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1 at a free port. */
export async function startRelay(faults: RelayFaults = {}): Promise<Relay> {
  const taken: Taken[] = [];
  const attempts = new Map<string, number>();
  const count = (key: string): number => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    return n;
  };
  const server: SMTPServer = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo: (address, session, callback) => {
      const fault = faults.rcpt?.(address.address, count(`rcpt ${address.address}`));
      if (fault === 'drop') return drop(server, session);
      if (fault === undefined) return callback();
      callback(
        Object.assign(new Error(fault >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
          responseCode: fault,
        }),
      );
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        const fault = faults.data?.(to, count(`data ${to}`));
        const message = { to, raw: Buffer.concat(chunks), replied: fault !== 'drop' };
        taken.push(message);
        if (fault === 'drop') return drop(server, session);
        if (fault === undefined) return callback();
        void fault.then(() => callback());
      });
    },
  });
  // A sender killed mid-transaction resets its connections; the relay carries on, as a real one does.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    taken,
    copies() {
      const copies = new Map<string, number>();
      for (const { to } of taken) copies.set(to, (copies.get(to) ?? 0) + 1);
      return copies;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Resets the session's connection without a reply, as a relay that crashed or lost the network would. */
function drop(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (
    server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
  ).connections;
  for (const connection of connections) if (connection.id === session.id) connection._socket.destroy();
}
