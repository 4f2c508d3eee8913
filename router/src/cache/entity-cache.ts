// The gateway's entity cache (ENTITY_CACHE=on): the store (store.ts), the fetch analyses (analyze.ts), the
// invalidation listener (invalidation.ts), the profiles' maturity limits, and hit/miss counters.
import { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { getNamedType, Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { effectiveMaturityLimit, type Logger } from "@watchflixx/common";
import type { GatewayContext } from "../auth.ts";
import { analyzeFetch, tagsOf, type FetchAnalysis } from "./analyze.ts";
import { startInvalidationListener, tagsTouchedBy, type InvalidationListener } from "./invalidation.ts";
import { MAX_AGE_CAP, type CachePolicy } from "./policy.ts";
import { EntityStore } from "./store.ts";

/** Per fetch unit: from the cache, fetched and stored, cacheable but not served from it (staff, Redis away), not cacheable. */
export type CacheOutcome = "hit" | "miss" | "bypass" | "uncacheable";

type MaturityRating = ReturnType<typeof effectiveMaturityLimit>;

export interface EntityCacheOptions {
  redisUrl: string;
  logger: Logger;
  /** Key prefix below the Redis namespace (tests: one per run). */
  prefix?: string;
  /** Stream keys (tests: their namespace's). */
  streamKey?: (aggregate: string) => string;
  /** How often hit/miss counters are logged (0: never). Default 60 s. */
  logIntervalMs?: number;
}

/** How long a profile's maturity limit is trusted without an event (ProfileUpdated drops it at once). */
const PROFILE_LIMIT_TTL_MS = 60_000;

const PROFILE_QUERY = "query EntityCacheProfileScope($id: ID!) { profile(id: $id) { isKids maturityRating } }";

export class EntityCache {
  readonly store: EntityStore;
  readonly #redis: Redis;
  readonly #listener: InvalidationListener;
  readonly #logger: Logger;
  #schema: GraphQLSchema | undefined;
  #policy: CachePolicy | undefined;
  #analyses = new LRUCache<string, FetchAnalysis>({ max: 2_000 });
  readonly #profileLimits = new LRUCache<string, MaturityRating>({ max: 20_000, ttl: PROFILE_LIMIT_TTL_MS });
  readonly #perRequest = new WeakMap<object, Record<CacheOutcome, number>>();
  readonly #heldTags = new WeakMap<object, Set<string> | null>();
  readonly #totals: Record<CacheOutcome, number> = { hit: 0, miss: 0, bypass: 0, uncacheable: 0 };
  /** Of the hits, anonymous whole answers sent before Apollo Server ran (plugin.ts `answerFromCache`). */
  #answeredEarly = 0;
  readonly #sources = new Map<string, RemoteGraphQLDataSource<GatewayContext>>();
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(options: EntityCacheOptions) {
    this.#logger = options.logger;
    const redisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (attempt: number) => Math.min(attempt * 250, 2_000) };
    this.#redis = new Redis(options.redisUrl, { ...redisOptions, connectionName: "gateway-entity-cache" });
    this.#redis.on("error", () => undefined); // the listener's state says whether the cache is usable
    this.store = new EntityStore({ redis: this.#redis, prefix: options.prefix });
    const events = new Redis(options.redisUrl, { ...redisOptions, connectionName: "gateway-entity-cache-events" });
    events.on("error", () => undefined);
    this.#listener = startInvalidationListener({
      redis: events,
      logger: options.logger,
      historyMs: MAX_AGE_CAP * 1000,
      streamKey: options.streamKey,
      onGap: () => this.store.clearLocal(),
      onEvents: async (events) => {
        const tags = new Set<string>();
        const profiles = new Set<string>();
        const accounts = new Set<string>();
        for (const event of events) {
          const touched = tagsTouchedBy(event);
          for (const tag of touched.tags) tags.add(tag);
          for (const profileId of touched.profiles) profiles.add(profileId);
          for (const userId of touched.accounts) accounts.add(userId);
        }
        if (profiles.size > 0) for (const key of this.#profileLimits.keys()) if (profiles.has(key.slice(key.indexOf(":") + 1))) this.#profileLimits.delete(key);
        if (tags.size > 0) await this.store.invalidate([...tags]);
        for (const userId of accounts) await this.store.bumpGeneration(userId);
      },
    });
    const interval = options.logIntervalMs ?? 60_000;
    if (interval > 0) {
      this.#timer = setInterval(() => this.#logCounters(), interval);
      this.#timer.unref();
    }
  }

  /** The API schema the fetches are read against and the supergraph's cache hints (after each supergraph load). */
  useSchema(schema: GraphQLSchema, policy: CachePolicy): void {
    if (schema === this.#schema && policy === this.#policy) return;
    this.#schema = schema;
    this.#policy = policy;
    this.#analyses.clear();
  }

  /** The data sources by subgraph (the maturity lookup goes through the auth one). */
  register(serviceName: string, source: RemoteGraphQLDataSource<GatewayContext>): void {
    this.#sources.set(serviceName, source);
  }

  live(): boolean {
    return this.#schema !== undefined && this.#listener.live();
  }

  analyze(query: string): FetchAnalysis {
    let analysis = this.#analyses.get(query);
    if (!analysis) {
      analysis = this.#schema && this.#policy ? analyzeFetch(this.#schema, this.#policy, query) : { cacheable: false, scope: "PUBLIC", maxAge: 0, entities: false, profileVariables: [], profileSlots: [], rootFields: [] };
      this.#analyses.set(query, analysis);
    }
    return analysis;
  }

  tagsOf(serviceName: string, query: string, data: unknown, variables: Record<string, unknown> = {}): string[] {
    const analysis = this.analyze(query);
    const schema = this.#schema;
    const queryType = schema?.getQueryType();
    if (!analysis.document || !schema || !queryType) return [];
    const tags = new Set<string>();
    tagsOf(schema, serviceName, analysis.document.selections, analysis.document.fragments, data, queryType, tags);
    // `content(id:)` answered without selecting `id` (or with null): tagged by the id it was asked for.
    for (const selection of analysis.document.selections.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const argument = selection.arguments?.find((a) => a.name.value === "id");
      const value = argument?.value.kind === Kind.VARIABLE ? variables[argument.value.name.value] : argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
      const field = queryType.getFields()[selection.name.value];
      if (typeof value === "string" && field) tags.add(`${serviceName}:${getNamedType(field.type).name}:${value}`);
    }
    return [...tags];
  }

  /**
   * After a mutation's fetch to `serviceName` through this gateway: its account's generation moves on (every
   * replica then misses that account's own entries: its progress, watchlist, profile), and the entries holding
   * an entity its answer names are dropped at once, so the caller reads its own write on the next request
   * without waiting for the event (which still reaches every replica). A viewer's mutation changes only what the
   * subgraph that ran it answers for those entities (a rating: that title's average), never the catalog lists;
   * a staff edit may change any subgraph's view of a title and the lists.
   */
  async afterMutation(serviceName: string, operation: OperationDefinitionNode, data: unknown, caller: { userId: string; role: string } | undefined): Promise<void> {
    const schema = this.#schema;
    const mutationType = schema?.getMutationType();
    if (!schema || !mutationType) return;
    // Failed or not, it may have written: the generation moves on either way.
    if (caller) await this.store.bumpGeneration(caller.userId);
    if (!data) return;
    const named = new Set<string>();
    tagsOf(schema, "*", operation.selectionSet, new Map<string, FragmentDefinitionNode>(), data, mutationType, named);
    const staff = caller?.role === "STAFF";
    const services = staff ? [...this.#sources.keys()] : [serviceName];
    const tags = new Set<string>();
    for (const tag of named) {
      if (!tag.startsWith("*:")) continue;
      for (const service of services) tags.add(`${service}:${tag.slice(2)}`);
    }
    if (tags.size === 0) return;
    if (staff) for (const service of services) tags.add(`${service}:list`);
    await this.store.invalidate([...tags]);
  }

  entityTags(serviceName: string, query: string, representation: unknown, value: unknown): string[] {
    const analysis = this.analyze(query);
    const schema = this.#schema;
    const { __typename: typename, id } = (representation ?? {}) as { __typename?: unknown; id?: unknown };
    const tags = new Set<string>();
    if (typeof typename === "string" && typeof id === "string") tags.add(`${serviceName}:${typename}:${id}`);
    const entities = analysis.document?.selections.selections[0];
    const type = typeof typename === "string" ? schema?.getType(typename) : undefined;
    if (schema && type && entities?.kind === "Field" && entities.selectionSet && analysis.document) {
      tagsOf(schema, serviceName, entities.selectionSet, analysis.document.fragments, value, getNamedType(type), tags);
    }
    return [...tags];
  }

  /**
   * The maturity limit of the caller's profile `profileId` (asked of the auth subgraph with the caller's own
   * identity, so a stranger's profile is NOT_FOUND exactly as without the cache), or undefined.
   */
  async maturityLimitOf(options: Parameters<RemoteGraphQLDataSource<GatewayContext>["process"]>[0], profileId: string): Promise<MaturityRating | undefined> {
    const userId = options.context.identity?.userId;
    const auth = this.#sources.get("auth");
    if (!userId || !auth || options.kind !== "incoming operation") return undefined;
    const key = `${userId}:${profileId}`;
    const known = this.#profileLimits.get(key);
    if (known) return known;
    try {
      const response = await auth.process({
        ...options,
        // A copy: the lookup is not one of the request's fetches (x-cache, counters).
        context: { ...options.context },
        request: { query: PROFILE_QUERY, variables: { id: profileId }, http: { method: "POST", url: auth.url, headers: new Headers() as never } },
      });
      const profile = (response.data?.profile ?? null) as { isKids?: unknown; maturityRating?: unknown } | null;
      if (!profile || typeof profile.isKids !== "boolean" || typeof profile.maturityRating !== "string") return undefined;
      const limit = effectiveMaturityLimit({ isKids: profile.isKids, maturityRating: profile.maturityRating as MaturityRating });
      this.#profileLimits.set(key, limit);
      return limit;
    } catch {
      return undefined;
    }
  }

  /**
   * What a request's answer is built from: the tags of every entry it read from the cache or stored in it. null
   * (sticky): some part of it could not be tagged (an entity missing, an error), so the whole answer is never kept.
   */
  holds(context: object, tags: readonly string[] | null): void {
    const held = this.#heldTags.get(context);
    if (held === null) return;
    if (tags === null) {
      this.#heldTags.set(context, null);
      return;
    }
    if (!held) this.#heldTags.set(context, new Set(tags));
    else for (const tag of tags) held.add(tag);
  }

  /** The tags a request's answer holds (see holds()); null or undefined: not known, never store the answer. */
  heldTagsOf(context: object): string[] | null | undefined {
    const held = this.#heldTags.get(context);
    return held ? [...held] : held;
  }

  /** Counts an outcome for the request (the x-cache header) and in the totals (logs, stats()). */
  count(context: object, outcome: CacheOutcome, n = 1): void {
    if (n <= 0) return;
    this.#totals[outcome] += n;
    let counts = this.#perRequest.get(context);
    if (!counts) this.#perRequest.set(context, (counts = { hit: 0, miss: 0, bypass: 0, uncacheable: 0 }));
    counts[outcome] += n;
  }

  /**
   * hit: every subgraph fetch of the request answered from the cache; partial: some; miss: none, though some
   * were cacheable; bypass: cacheable ones went to the subgraphs (staff, Redis away); undefined: nothing cacheable.
   */
  outcomeOf(context: object): "hit" | "miss" | "partial" | "bypass" | undefined {
    const counts = this.#perRequest.get(context);
    if (!counts) return undefined;
    if (counts.hit > 0) return counts.miss + counts.bypass + counts.uncacheable > 0 ? "partial" : "hit";
    if (counts.miss > 0) return "miss";
    return counts.bypass > 0 ? "bypass" : undefined;
  }

  countsOf(context: object): Record<CacheOutcome, number> | undefined {
    return this.#perRequest.get(context);
  }

  /** A whole answer was sent before Apollo Server ran: a hit, counted apart too. */
  countEarlyAnswer(context: object): void {
    this.count(context, "hit");
    this.#answeredEarly += 1;
  }

  stats(): Record<CacheOutcome, number> & { localEntries: number; live: boolean; answeredBeforeApollo: number } {
    return { ...this.#totals, ...this.store.stats(), live: this.live(), answeredBeforeApollo: this.#answeredEarly };
  }

  #logCounters(): void {
    const { hit, miss, bypass, uncacheable } = this.#totals;
    if (hit + miss + bypass === 0) return;
    const ratio = hit + miss > 0 ? Math.round((100 * hit) / (hit + miss)) : 0;
    this.#logger.info(`entity cache: ${hit} hits, ${miss} misses (${ratio}% hits), ${bypass} bypassed, ${uncacheable} not cacheable; ${this.store.stats().localEntries} entries in process${this.live() ? "" : "; NOT LIVE (Redis unavailable): serving uncached"}`);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#listener.stop();
    this.#redis.disconnect();
  }
}
