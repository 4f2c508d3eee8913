import { Ctx, Query, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { ServiceStatus } from "../entities/service-status.ts";
import type { StatusService } from "../services/status.service.ts";

@Resolver()
export class ServiceStatusResolver {
  constructor(private readonly status: StatusService) {}

  @Query(() => [ServiceStatus], {
    description: "Every service's heartbeat, schema hash and event lag (staff only; FORBIDDEN otherwise).",
  })
  serviceStatuses(@Ctx() ctx: SubgraphContext): Promise<ServiceStatus[]> {
    return this.status.serviceStatuses(ctx.identity);
  }
}
