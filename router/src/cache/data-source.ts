// The cache at the data source: a RemoteGraphQLDataSource whose `process` answers what it can from the entity
// cache, where the subgraph request is still structured (operation text, variables, representations).
// - `_entities`: one entry per representation; only the representations missing are sent to the subgraph,
//   and the answer is merged back in order (errors re-indexed).
// - root fields: one entry for the fetch's whole answer.
// - an `_entities` fetch that mixes shared fields with the caller's own (analyze.ts's split): two fetches, the
//   shared part through the cache as above, the caller's part through it too (per account) or to the subgraph;
//   merged per entity.
// - PRIVATE fetches (fields with a per-account maxAge): the same, keyed by the caller's account too, in Redis
//   only under the account's generation (store.ts); a mutation of the account moves it on.
// Nothing with errors is stored. Staff callers (who see unpublished titles) neither read nor store.
import { createHash } from "node:crypto";
import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GraphQLFormattedError } from "graphql";
import type { GatewayContext } from "../auth.ts";
import { valueAtSlot, type FetchPart, type FetchSplit, type ProfileSlot } from "./analyze.ts";
import type { EntityCache } from "./entity-cache.ts";
import type { AccountScope } from "./store.ts";

type Options = Parameters<RemoteGraphQLDataSource<GatewayContext>["process"]>[0];
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>["process"]>>;

const INCOMING_OPERATION = "incoming operation";

/** A copy of the variables with the value at `slot` replaced (objects on the way copied, never mutated). */
function withSlot(variables: Record<string, unknown>, slot: ProfileSlot, value: unknown): Record<string, unknown> {
  const set = (target: unknown, path: string[]): unknown => {
    const [key, ...rest] = path;
    if (key === undefined) return value;
    const object = typeof target === "object" && target !== null ? (target as Record<string, unknown>) : {};
    return { ...object, [key]: set(object[key], rest) };
  };
  return set(variables, [slot.variable, ...slot.path]) as Record<string, unknown>;
}

function hash(...parts: string[]): string {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part).update("\0");
  return digest.digest("base64url");
}

export class CachingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly cache: EntityCache,
    private readonly serviceName: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
  ) {
    super(config);
  }

  override async process(options: Options): Promise<GatewayGraphQLResponse> {
    if (options.kind !== INCOMING_OPERATION) return super.process(options);
    const { request, context } = options;
    const analysis = request.query ? this.cache.analyze(request.query) : undefined;
    const staff = context.identity?.role === "STAFF";
    if (analysis?.split && this.cache.live() && !staff) return this.#split(options, analysis.split);
    // An account's own entries need the account: anonymous callers are answered by the subgraph (UNAUTHENTICATED).
    const account: AccountScope | undefined = analysis?.scope === "PRIVATE" && context.identity ? { userId: context.identity.userId } : undefined;
    if (!analysis?.cacheable || !this.cache.live() || staff || (analysis.scope === "PRIVATE" && !account)) {
      this.cache.count(context, analysis?.cacheable && (staff || !this.cache.live()) ? "bypass" : "uncacheable");
      const response = await super.process(options);
      if (analysis?.mutation) await this.cache.afterMutation(this.serviceName, analysis.mutation, response.data, context.identity ?? undefined);
      return response;
    }
    // The scope that can change a PUBLIC answer: the maturity limit of each profile named (a variable, or a
    // `profileId` inside an input-object variable such as browse's filter), never the profile.
    let variables: Record<string, unknown> = { ...(request.variables ?? {}) };
    // (An account's entry is keyed by the profile itself: the account's writes and events drop it.)
    for (const slot of account ? [] : analysis.profileSlots) {
      const profileId = valueAtSlot(variables, slot);
      if (profileId === null || profileId === undefined) continue;
      const limit = typeof profileId === "string" ? await this.cache.maturityLimitOf(options, profileId) : undefined;
      // Unknown, not the caller's, or unreadable: the subgraph answers (NOT_FOUND), uncached.
      if (!limit) {
        this.cache.count(context, "uncacheable");
        return super.process(options);
      }
      variables = withSlot(variables, slot, { maturityLimit: limit });
    }
    const since = this.cache.store.begin();
    if (analysis.entities) return this.#entities(options, variables, analysis.maxAge, since, account);

    const key = this.cache.store.entryKey(hash("root", this.serviceName, request.query ?? "", JSON.stringify(variables), account?.userId ?? ""));
    const [cached] = await this.cache.store.getMany([key], account);
    if (cached) {
      this.cache.count(context, "hit");
      this.cache.holds(context, cached.tags);
      return { data: cached.value as Record<string, unknown> };
    }
    this.cache.count(context, "miss");
    const response = await super.process(options);
    if (!response.errors?.length && response.data) {
      const tags = this.cache.tagsOf(this.serviceName, request.query ?? "", response.data, request.variables ?? {});
      this.cache.holds(context, tags);
      await this.cache.store.setMany([{ key, entry: { value: response.data, tags }, ttlSeconds: analysis.maxAge }], since, account);
    } else {
      this.cache.holds(context, null);
    }
    return response;
  }

  async #split(options: Options, split: FetchSplit): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const partOf = (part: FetchPart): Options => ({
      ...options,
      request: {
        ...request,
        query: part.query,
        // Only the part's own variables: a profileId must never reach the shared part's key.
        variables: Object.fromEntries(Object.entries(request.variables ?? {}).filter(([name]) => part.variables.includes(name))),
        ...(request.http ? { http: { ...request.http, headers: new Headers(request.http.headers as unknown as Headers) as never } } : {}),
      },
    });
    // Each part counts itself: the caller's part is kept per account when it can be, else asked.
    const [shared, own] = await Promise.all([this.process(partOf(split.cacheable)), this.process(partOf(split.uncacheable))]);
    const sharedEntities = shared.data?._entities;
    const ownEntities = own.data?._entities;
    // Either part failed as a whole: the fetch as the planner wrote it, for its own answer and errors.
    if (!Array.isArray(sharedEntities) || !Array.isArray(ownEntities) || sharedEntities.length !== ownEntities.length) return super.process(options);
    const merged = sharedEntities.map((entity: unknown, index) => {
      const mine: unknown = ownEntities[index];
      if (entity === null || mine === null || typeof entity !== "object" || typeof mine !== "object") return null;
      return { ...entity, ...mine };
    });
    const errors = [...(shared.errors ?? []), ...(own.errors ?? [])];
    return { ...own, data: { ...own.data, _entities: merged }, ...(errors.length > 0 ? { errors } : {}) };
  }

  async #entities(options: Options, variables: Record<string, unknown>, maxAge: number, since: number, account: AccountScope | undefined): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const { representations, ...rest } = variables;
    if (!Array.isArray(representations) || representations.length === 0) return super.process(options);
    const scope = hash("entities", this.serviceName, request.query ?? "", JSON.stringify(rest), account?.userId ?? "");
    const keys = representations.map((representation) => this.cache.store.entryKey(hash(scope, JSON.stringify(representation))));
    const cached = await this.cache.store.getMany(keys, account);
    const missing = cached.flatMap((entry, index) => (entry ? [] : [index]));
    this.cache.count(context, "hit", representations.length - missing.length);
    this.cache.count(context, "miss", missing.length);
    for (const entry of cached) if (entry) this.cache.holds(context, entry.tags);
    if (missing.length === 0) return { data: { _entities: cached.map((entry) => entry?.value ?? null) } };

    const response =
      missing.length === representations.length
        ? await super.process(options)
        : await super.process({
            ...options,
            request: { ...request, variables: { ...(request.variables ?? {}), representations: missing.map((index) => representations[index]) } },
          });
    const fetched = (response.data?._entities ?? null) as unknown[] | null;
    if (!Array.isArray(fetched)) return missing.length === representations.length ? response : { ...response, data: null };

    // Errors point at the sub-request's indices: back to the client's.
    let unplaced = false;
    const failed = new Set<number>();
    const errors = response.errors?.map((error): GraphQLFormattedError => {
      const path = error.path;
      if (path?.[0] !== "_entities" || typeof path[1] !== "number") {
        unplaced = true;
        return error;
      }
      failed.add(path[1]);
      return { ...error, path: ["_entities", missing[path[1]] ?? path[1], ...path.slice(2)] };
    });
    const merged = cached.map((entry) => entry?.value ?? null);
    const store: Parameters<EntityCache["store"]["setMany"]>[0] = [];
    for (const [position, index] of missing.entries()) {
      const value = fetched[position] ?? null;
      merged[index] = value;
      if (value === null || unplaced || failed.has(position)) {
        this.cache.holds(context, null);
        continue;
      }
      const tags = this.cache.entityTags(this.serviceName, request.query ?? "", representations[index], value);
      this.cache.holds(context, tags);
      store.push({ key: keys[index] as string, entry: { value, tags }, ttlSeconds: maxAge });
    }
    await this.cache.store.setMany(store, since, account);
    return { ...response, data: { ...response.data, _entities: merged }, ...(errors ? { errors } : {}) };
  }
}
