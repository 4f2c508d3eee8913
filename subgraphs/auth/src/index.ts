// The auth subgraph: accounts, sessions (access and refresh tokens), profiles, devices and TV pairing.
// Owns User, Profile, Device, UserSettings, ProfileSettings (plus RefreshToken and DevicePairing rows).
import { buildFederatedSchema, type SubgraphDefinition } from "@watchflixx/common";
import type { ContainerType } from "type-graphql";
import { Device } from "./entities/device.ts";
import { Profile } from "./entities/profile.ts";
import { User } from "./entities/user.ts";
import { createLoaders, type AuthLoaders } from "./loaders.ts";
import { AuthResolver } from "./resolvers/auth.resolver.ts";
import { DevicePairingResolver } from "./resolvers/device-pairing.resolver.ts";
import { deviceReference } from "./resolvers/device.reference.ts";
import { ProfileResolver } from "./resolvers/profile.resolver.ts";
import { profileReference } from "./resolvers/profile.reference.ts";
import { UserResolver } from "./resolvers/user.resolver.ts";
import { userReference } from "./resolvers/user.reference.ts";
import { AuthSettings } from "./settings.ts";

export type { AuthLoaders } from "./loaders.ts";

export interface AuthSubgraphOptions {
  /** Signs access tokens. Default: JWT_ACCESS_SECRET of the configuration the subgraph is started with. */
  accessTokenSecret?: string;
}

export async function createAuthSubgraph(options: AuthSubgraphOptions = {}): Promise<SubgraphDefinition<AuthLoaders>> {
  const settings = new AuthSettings(options.accessTokenSecret);
  // One instance per resolver class, created with the settings (type-graphql asks this container for them).
  const instances = new Map<unknown, unknown>([
    [AuthResolver, new AuthResolver(settings)],
    [UserResolver, new UserResolver()],
    [ProfileResolver, new ProfileResolver(settings)],
    [DevicePairingResolver, new DevicePairingResolver(settings)],
  ]);
  const container: ContainerType = {
    get(resolverClass: unknown) {
      const instance = instances.get(resolverClass);
      if (!instance) throw new Error(`auth subgraph: no instance of ${String(resolverClass)}`);
      return instance;
    },
  };
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [AuthResolver, UserResolver, ProfileResolver, DevicePairingResolver],
    orphanedTypes: [User, Profile, Device],
    container,
    referenceResolvers: { User: userReference, Profile: profileReference, Device: deviceReference },
  });
  return {
    name: "auth",
    schema,
    sdl,
    createLoaders,
    // Runs when the server starts, with the configuration it was started with: the token-signing secret.
    configureApp: (_app, deps) => settings.configure(deps.config),
    // The bus (Redis): ended sessions are announced there, so that the gateways close their sockets. (Sign-in
    // attempts are counted by the server's shared rate limits.)
    onStart: async (_httpServer, deps) => {
      settings.useBus(deps.bus, deps.logger);
      return async () => undefined;
    },
  };
}
