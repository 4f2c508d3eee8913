// Trusted documents: the operations the web and TV clients ship (the contract) and the project's own, listed by
// `pnpm codegen` in clients/persisted-query-manifest.json (Apollo's persisted query manifest: sha256 hex of the
// body → body). The gateway
// - answers Apollo's persisted-query protocol (`extensions.persistedQuery.sha256Hash`, query omitted) from the
//   manifest, over HTTP (Apollo Server's `persistedQueries` with the cache below) and over graphql-ws;
// - with TRUSTED_DOCUMENTS=enforce, refuses any other document before it is parsed, planned or authenticated,
//   with QUERY_NOT_IN_SAFELIST (Apollo Router's code for the same refusal). A document matches when it is a
//   manifest body byte for byte or once re-printed (parse + print: the same operation formatted differently).
//   Introspection-only operations pass while INTROSPECTION is on (Apollo Sandbox loads the schema that way).
// Apollo Client with its default cache sends each operation with `__typename` added below the root, and hashes
// that text: each manifest operation is also accepted in that form (derived here, by the same rule), so such a
// client gets a hash hit at the first request.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import type { RequestHandler } from "express";
import { GraphQLError, Kind, parse, print, visit, type DocumentNode, type FieldNode } from "graphql";
import { z } from "zod";
import { StartupError } from "@watchflixx/common";

export const QUERY_NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST";
export const PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";

/**
 * A document is re-printed only up to this many tokens (the contract's largest operation has a few hundred, an
 * introspection query under a thousand): a huge unknown document is refused without being parsed whole.
 */
const MAX_NORMALISED_TOKENS = 5_000;

/** What a client sent: the text, the persisted-query extension, or both. */
export interface RequestedDocument {
  query?: unknown;
  extensions?: unknown;
}

const manifestSchema = z.object({
  format: z.literal("apollo-persisted-query-manifest"),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string(), type: z.string(), body: z.string() })),
});

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function notInSafelist(): GraphQLError {
  return new GraphQLError("This operation is not one of the gateway's trusted documents.", {
    extensions: { code: QUERY_NOT_IN_SAFELIST },
  });
}

/** Only `__schema`, `__type` and `__typename` at the root of every operation. */
function isIntrospectionOnly(document: DocumentNode): boolean {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every((operation) =>
      operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith("__")),
    )
  );
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };

/**
 * `document` as Apollo Client's InMemoryCache sends it (its `addTypenameToDocument`): `__typename` appended to
 * every selection set except an operation's root, unless the set already selects a `__`-field or belongs to a
 * field with `@export`.
 */
export function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node, _key, parent) {
      if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith("__"))) return undefined;
      const owner = parent as { kind?: string; directives?: ReadonlyArray<{ name: { value: string } }> } | undefined;
      if (owner?.kind === Kind.FIELD && owner.directives?.some((directive) => directive.name.value === "export")) return undefined;
      return { ...node, selections: [...node.selections, TYPENAME] };
    },
  });
}

export interface TrustedDocumentsOptions {
  /** Refuse every document that is not in the manifest. */
  enforce: boolean;
  /** Let introspection-only operations through while enforcing (INTROSPECTION on). */
  allowIntrospection: boolean;
}

export class TrustedDocuments {
  /** Accepted texts by sha256: the manifest's bodies, and the same operations with Apollo Client's `__typename`s. */
  private readonly bodies = new Map<string, string>();
  /** How many operations the manifest lists. */
  readonly size: number;

  constructor(
    operations: ReadonlyArray<{ id: string; body: string }>,
    readonly options: TrustedDocumentsOptions,
  ) {
    for (const operation of operations) {
      this.bodies.set(operation.id, operation.body);
      const typed = print(withTypenames(parse(operation.body)));
      this.bodies.set(sha256Hex(typed), typed);
    }
    this.size = operations.length;
  }

  /** Reads the manifest; a missing or malformed file stops the gateway with one line naming the variable. */
  static load(file: string, options: TrustedDocumentsOptions): TrustedDocuments {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new StartupError(`TRUSTED_DOCUMENTS_MANIFEST: cannot read ${file} (run pnpm codegen)`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) throw new StartupError(`TRUSTED_DOCUMENTS_MANIFEST: ${file} is not an Apollo persisted query manifest (version 1)`);
    for (const operation of parsed.data.operations) {
      if (sha256Hex(operation.body) !== operation.id) {
        throw new StartupError(`TRUSTED_DOCUMENTS_MANIFEST: the id of ${operation.name} in ${file} is not the sha256 of its body (run pnpm codegen)`);
      }
    }
    try {
      return new TrustedDocuments(parsed.data.operations, options);
    } catch (error) {
      throw new StartupError(`TRUSTED_DOCUMENTS_MANIFEST: an operation in ${file} does not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The body of a manifest operation by its id (the sha256 hex of the body, or of its Apollo Client form). */
  body(id: string): string | undefined {
    return this.bodies.get(id);
  }

  /** Whether `text` may run: always when not enforcing; else a manifest body (as sent or re-printed), or introspection. */
  allows(text: string): boolean {
    if (!this.options.enforce || this.bodies.has(sha256Hex(text))) return true;
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: MAX_NORMALISED_TOKENS, noLocation: true });
    } catch {
      return false;
    }
    if (this.bodies.has(sha256Hex(print(document)))) return true;
    return this.options.allowIntrospection && isIntrospectionOnly(document);
  }

  /**
   * Apollo Server's `persistedQueries.cache`: hash lookups answered from the manifest. Enforcing, it is read-only
   * (a client cannot register a document); otherwise documents clients register by APQ are kept in a bounded
   * in-memory cache, as Apollo Server does by default.
   */
  persistedQueryCache(): KeyValueCache<string> {
    const registered = this.options.enforce ? undefined : new InMemoryLRUCache<string>({ maxSize: 8 * 1024 * 1024 });
    const cache: KeyValueCache<string> = {
      get: async (key) => this.body(key) ?? (await registered?.get(key)),
      set: async (key, value, options) => {
        if (registered && !this.bodies.has(key)) await registered.set(key, value, options);
      },
      delete: async (key) => (registered ? registered.delete(key) : false),
    };
    // Keys are the bare sha256 (no "apq:" prefix Apollo Server would otherwise add): the cache is this one's alone.
    return PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation(cache);
  }

  /**
   * HTTP (after the JSON body parser, before Apollo Server): a document sent as text that may not run is refused
   * here with 403 and QUERY_NOT_IN_SAFELIST. Hash-only requests go on to Apollo Server, which answers them from
   * `persistedQueryCache()` (PERSISTED_QUERY_NOT_FOUND when unknown).
   */
  httpGuard(): RequestHandler {
    return (req, res, next) => {
      if (!this.refuses(req.method === "GET" ? req.query : req.body)) return next();
      const error = notInSafelist();
      // 403 as Apollo Router answers it; in the media type the client prefers, as Apollo Server does: Apollo Client
      // reads the errors of a non-2xx response only when it is application/graphql-response+json.
      const type = req.accepts(["application/json", "application/graphql-response+json"]) || "application/json";
      res.status(403).type(type).send(JSON.stringify({ errors: [{ message: error.message, extensions: { code: QUERY_NOT_IN_SAFELIST } }] }));
    };
  }

  /** Whether `httpGuard` refuses a request with this body (one request or a batch; a GET's query string). */
  refuses(body: unknown): boolean {
    if (!this.options.enforce) return false;
    const requested: unknown[] = Array.isArray(body) ? body : [body];
    return requested.some((item) => {
      const query = (item as RequestedDocument | null | undefined)?.query;
      return typeof query === "string" && query !== "" && !this.allows(query);
    });
  }

  /**
   * graphql-ws (before parsing): the text to run for a subscribe message — the manifest's body for a hash-only
   * message, the text itself otherwise — or the errors that refuse it.
   */
  resolve(requested: RequestedDocument): { query: string } | { errors: GraphQLError[] } {
    const query = typeof requested.query === "string" ? requested.query : "";
    const hash = persistedQueryHash(requested.extensions);
    if (hash !== undefined) {
      if (query === "") {
        const body = this.body(hash);
        return body === undefined
          ? { errors: [new GraphQLError("PersistedQueryNotFound", { extensions: { code: PERSISTED_QUERY_NOT_FOUND } })] }
          : { query: body };
      }
      if (sha256Hex(query) !== hash) return { errors: [new GraphQLError("provided sha does not match query", { extensions: { code: "BAD_REQUEST" } })] };
    }
    return this.allows(query) ? { query } : { errors: [notInSafelist()] };
  }
}

/** `extensions.persistedQuery.sha256Hash`, when the client sent one. */
function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === "string" ? persisted.sha256Hash : undefined;
}
