import type { SubgraphContext } from "@watchflixx/common";
import type { AuthLoaders } from "../loaders.ts";

export type AuthContext = SubgraphContext<AuthLoaders>;
