// What the auth subgraph needs beyond the database: the access-token signing secret and the sign-in guard.
// The secret comes from the configuration `startSubgraph` is given (through `configureApp`), so the gateway that
// verifies tokens and the subgraph that signs them read the same JWT_ACCESS_SECRET; tests may pass one directly.
// The guard counts in memory until the server starts, then in Redis (`onStart`).
import type { BaseConfig } from "@watchflixx/common";
import { SignInGuard } from "./services/sign-in-guard.ts";

export class AuthSettings {
  #accessTokenSecret: string | null;
  signInGuard: SignInGuard = SignInGuard.inMemory();

  constructor(accessTokenSecret?: string) {
    this.#accessTokenSecret = accessTokenSecret ?? null;
  }

  /** Takes the secret from the server's configuration unless one was given at creation. */
  configure(config: Pick<BaseConfig, "JWT_ACCESS_SECRET">): void {
    this.#accessTokenSecret ??= config.JWT_ACCESS_SECRET;
  }

  get accessTokenSecret(): string {
    if (!this.#accessTokenSecret) {
      throw new Error("auth subgraph: no access-token secret (start it with startSubgraph, or pass accessTokenSecret)");
    }
    return this.#accessTokenSecret;
  }
}
