// The account role enum is the auth subgraph's own (staff accounts are seeded, never granted by the API).
import { registerEnumType } from "type-graphql";
import { UserRole } from "@watchflixx/db";

registerEnumType(UserRole, { name: "UserRole", description: "USER for customers, STAFF for support staff." });

export { UserRole };
