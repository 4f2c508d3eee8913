// The auth subgraph: accounts, sessions (access and refresh tokens), profiles, devices and TV pairing. Owns
// User, Profile, Device, UserSettings, ProfileSettings (plus RefreshToken and DevicePairing rows). Built from the
// deps start-up hands in: its services once, then the resolvers with the services they use.
import { buildFederatedSchema, type SubgraphDefinition, type SubgraphDeps, type SubgraphModule } from "@watchflixx/common";
import { authConfigSchema, type AuthConfig } from "./config.ts";
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
import { AccountService } from "./services/account.service.ts";
import { DirectoryService } from "./services/directory.service.ts";
import { PairingService } from "./services/pairing.service.ts";
import { PinGuard } from "./services/pin-guard.ts";
import { ProfileService } from "./services/profile.service.ts";
import { SessionService } from "./services/session.service.ts";

export type { AuthLoaders } from "./loaders.ts";
export { authConfigSchema, type AuthConfig } from "./config.ts";

export async function createAuthSubgraph(deps: SubgraphDeps<AuthConfig>): Promise<SubgraphDefinition<AuthLoaders>> {
  // Access tokens are signed with the JWT_ACCESS_SECRET the gateway verifies them with; ended sessions are
  // announced on the bus so that the gateways close their sockets.
  const sessions = new SessionService(deps.db, deps.config.JWT_ACCESS_SECRET, deps.bus, deps.logger);
  const accounts = new AccountService(deps.db, sessions, deps.rateLimits);
  const pairing = new PairingService(deps.db, sessions, deps.rateLimits);
  const profiles = new ProfileService(deps.db, new PinGuard(deps.rateLimits), deps.profileAccess, deps.logger);
  const directory = new DirectoryService();
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [
      new AuthResolver(accounts, sessions, directory),
      new UserResolver(directory),
      new ProfileResolver(profiles, directory),
      new DevicePairingResolver(pairing),
    ],
    orphanedTypes: [User, Profile, Device],
    referenceResolvers: {
      User: userReference(directory),
      Profile: profileReference(directory),
      Device: deviceReference(directory),
    },
  });
  return { name: "auth", schema, sdl, createLoaders };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(authSubgraph, ...)`. */
export const authSubgraph: SubgraphModule<AuthConfig, AuthLoaders> = {
  name: "auth",
  configSchema: authConfigSchema,
  create: createAuthSubgraph,
};
