// What the auth subgraph needs beyond the database: the access-token signing secret and its Redis connection.
// The secret comes from the configuration `startSubgraph` is given (through `configureApp`), so the gateway that
// verifies tokens and the subgraph that signs them read the same JWT_ACCESS_SECRET; tests may pass one directly.
// Redis arrives when the server starts (`onStart`): until then ended sessions are not announced. (Sign-in limits
// use the server's shared rate limits, in every resolver's context.)
import { publishSessionRevocation, type BaseConfig, type Bus, type Logger, type SessionRevocation } from "@watchflixx/common";

export class AuthSettings {
  #accessTokenSecret: string | null;
  #bus: { bus: Bus; logger: Logger } | null = null;

  constructor(accessTokenSecret?: string) {
    this.#accessTokenSecret = accessTokenSecret ?? null;
  }

  /** Takes the secret from the server's configuration unless one was given at creation. */
  configure(config: Pick<BaseConfig, "JWT_ACCESS_SECRET">): void {
    this.#accessTokenSecret ??= config.JWT_ACCESS_SECRET;
  }

  /** Announces ended sessions on the bus (Redis). */
  useBus(bus: Bus, logger: Logger): void {
    this.#bus = { bus, logger };
  }

  /**
   * Tells the gateways that sessions ended, so that they close those sessions' WebSockets now. Best effort:
   * if Redis is away, the sockets still close when their access tokens expire (15 minutes at most).
   */
  async announceSessionsEnded(revocation: SessionRevocation): Promise<void> {
    const bus = this.#bus;
    if (!bus) return;
    await publishSessionRevocation(bus.bus, revocation).catch((error: Error) =>
      bus.logger.warn(`could not announce the end of ${revocation.userId}'s session: ${error.message}`),
    );
  }

  get accessTokenSecret(): string {
    if (!this.#accessTokenSecret) {
      throw new Error("auth subgraph: no access-token secret (start it with startSubgraph, or pass accessTokenSecret)");
    }
    return this.#accessTokenSecret;
  }
}
