// TV pairing: start (the TV, anonymous), approve (a signed-in client), complete (the TV, anonymous).
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requireIdentity } from "@watchflixx/common";
import { AuthPayload } from "../entities/auth-payload.ts";
import { Device } from "../entities/device.ts";
import { DevicePairing } from "../entities/device-pairing.ts";
import type { DeviceRow } from "../services/batch-queries.ts";
import type { PairingService } from "../services/pairing.service.ts";
import type { AuthPayloadData } from "../services/session.service.ts";
import type { AuthContext } from "./context.ts";

@Resolver()
export class DevicePairingResolver {
  constructor(private readonly pairing: PairingService) {}

  @Mutation(() => DevicePairing, { description: "For the TV: a code to show, valid 10 minutes. No sign-in needed." })
  startDevicePairing(@Arg("deviceName", () => String) deviceName: string): Promise<DevicePairing> {
    return this.pairing.start(deviceName);
  }

  @Mutation(() => Device, { description: "For a signed-in client: adds the TV showing this code to the caller's devices." })
  approveDevicePairing(@Arg("pairingCode", () => String) pairingCode: string, @Ctx() ctx: AuthContext): Promise<DeviceRow> {
    return this.pairing.approve(requireIdentity(ctx), pairingCode);
  }

  @Mutation(() => AuthPayload, {
    description: "For the TV: tokens once the code is approved. FORBIDDEN before approval; NOT_FOUND when expired, used or unknown.",
  })
  completeDevicePairing(@Arg("pairingCode", () => String) pairingCode: string, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return this.pairing.complete(pairingCode, ctx.clientAddress);
  }
}
