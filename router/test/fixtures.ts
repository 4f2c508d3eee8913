// Two tiny subgraphs for the gateway's tests, built the way the real ones are (type-graphql + buildFederatedSchema):
// "content" owns Film; "streaming" extends Film with fields that depend on the caller; "social" has a
// subscription, `ticks`, fed by Redis pub/sub (publish on TICKS_TOPIC).
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from "type-graphql";
import {
  BadUserInputError,
  buildFederatedSchema,
  NotFoundError,
  requireIdentity,
  type SubgraphContext,
  type SubgraphDefinition,
} from "@watchflixx/common";

const FILMS = new Map([
  ["f1", { id: "f1", title: "The Gateway" }],
  ["f2", { id: "f2", title: "Federation Nights" }],
]);

@Directive('@key(fields: "id")')
@ObjectType("Film")
class Film {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
}

@ObjectType("Caller")
class Caller {
  @Field(() => ID) userId!: string;
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) deviceId!: string | null;
}

@Resolver(() => Film)
class FilmResolver {
  @Query(() => [Film])
  films(): Film[] {
    return [...FILMS.values()];
  }

  @Query(() => Film, { nullable: true })
  film(@Arg("id", () => ID) id: string): Film {
    const film = FILMS.get(id);
    if (!film) throw new NotFoundError("Film");
    return film;
  }

  @Query(() => Caller, { nullable: true, description: "The caller as the content subgraph sees it." })
  whoAmI(@Ctx() ctx: SubgraphContext): Caller | null {
    return ctx.identity;
  }

  @Query(() => Caller)
  me(@Ctx() ctx: SubgraphContext): Caller {
    return requireIdentity(ctx);
  }

  @Query(() => [Film])
  topFilms(@Arg("first", () => Int) first: number): Film[] {
    if (first > 100) throw new BadUserInputError("first may be at most 100.", "first");
    return [...FILMS.values()].slice(0, first);
  }

  @Query(() => String)
  brokenQuery(): string {
    throw new Error('invalid input syntax for type uuid: "x" -- SELECT * FROM "content" WHERE id = $1');
  }
}

/** Added in "version 2" of the content subgraph, for the hot-reload test. */
@Resolver()
class FilmCountResolver {
  @Query(() => Int)
  filmCount(): number {
    return FILMS.size;
  }
}

@Directive('@key(fields: "id")')
@ObjectType("Film")
class StreamingFilm {
  @Field(() => ID) id!: string;
}

@Resolver(() => StreamingFilm)
class StreamingFilmResolver {
  @FieldResolver(() => Int)
  plays(@Root() film: StreamingFilm): number {
    return film.id === "f1" ? 42 : 7;
  }

  @FieldResolver(() => String, { nullable: true, description: "Who asked, as the streaming subgraph sees it." })
  watchedBy(@Ctx() ctx: SubgraphContext): string | null {
    return ctx.identity?.userId ?? null;
  }

  @Query(() => String, { nullable: true })
  streamingWhoAmI(@Ctx() ctx: SubgraphContext): string | null {
    return ctx.identity?.userId ?? null;
  }
}

const noLoaders = () => ({});

export async function contentFixture(options: { version?: 1 | 2 } = {}): Promise<SubgraphDefinition> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: options.version === 2 ? [FilmResolver, FilmCountResolver] : [FilmResolver],
    orphanedTypes: [Film],
    referenceResolvers: {
      Film: { __resolveReference: (reference: { id: string }) => FILMS.get(reference.id) ?? null },
    },
  });
  return { name: "content", schema, sdl, createLoaders: noLoaders };
}

export async function streamingFixture(): Promise<SubgraphDefinition> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [StreamingFilmResolver],
    orphanedTypes: [StreamingFilm],
    referenceResolvers: {
      Film: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
    },
  });
  return { name: "streaming", schema, sdl, createLoaders: noLoaders };
}

/** The Redis pub/sub topic whose messages (`{ n }`) the `ticks` subscription delivers. */
export const TICKS_TOPIC = "router-test:ticks";

@ObjectType("Tick")
class Tick {
  @Field(() => Int) n!: number;
}

@Resolver()
class TickResolver {
  @Subscription(() => Tick, {
    subscribe: ({ context }) => {
      const { pubSub } = context as SubgraphContext;
      if (!pubSub) throw new Error("the ticker subgraph is served with subscriptions: true");
      return pubSub.asyncIterableIterator(TICKS_TOPIC);
    },
  })
  ticks(@Root() tick: Tick): Tick {
    return tick;
  }
}

export async function tickerFixture(): Promise<SubgraphDefinition> {
  const { schema, sdl } = await buildFederatedSchema({ resolvers: [TickResolver], orphanedTypes: [Tick] });
  return { name: "social", schema, sdl, createLoaders: noLoaders, subscriptions: true };
}
