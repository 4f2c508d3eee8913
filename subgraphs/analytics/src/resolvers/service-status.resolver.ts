import { Ctx, Query, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { ServiceStatus } from "../entities/service-status.ts";
import { serviceStatuses } from "../services/status.service.ts";

@Resolver()
export class ServiceStatusResolver {
  @Query(() => [ServiceStatus], {
    description: "Every service's heartbeat, schema hash and event lag (staff only; FORBIDDEN otherwise).",
  })
  serviceStatuses(@Ctx() context: SubgraphContext): Promise<ServiceStatus[]> {
    return serviceStatuses(context);
  }
}
