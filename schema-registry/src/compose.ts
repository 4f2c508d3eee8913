// Composition with @apollo/composition, and the client-facing API schema of a supergraph.
import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import { buildSchema, parse, printSchema, type GraphQLError, type GraphQLSchema } from "graphql";
import { issue, type Issue } from "./issues.ts";

/** One subgraph as the registry sees it: its name, where the gateway reaches it, and its SDL. */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; apiSchemaSdl: string; hints: string[] }
  | { ok: false; errors: CompositionProblem[] };

export interface CompositionProblem {
  /** The composition error code (INVALID_FIELD_SHARING, ...), or INVALID_GRAPHQL for an SDL that does not parse. */
  code: string;
  message: string;
}

function problemOf(error: GraphQLError): CompositionProblem {
  const code = typeof error.extensions?.code === "string" ? error.extensions.code : "COMPOSITION_ERROR";
  return { code, message: error.message };
}

/** Composes the subgraphs (in the order given) into a supergraph and its API schema. */
export function composeSubgraphs(subgraphs: SubgraphSource[]): CompositionOutcome {
  const services = [];
  const problems: CompositionProblem[] = [];
  for (const subgraph of subgraphs) {
    try {
      services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) });
    } catch (error) {
      problems.push({ code: "INVALID_GRAPHQL", message: `[${subgraph.name}] ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  if (services.length === 0) return { ok: false, errors: [{ code: "NO_SUBGRAPHS", message: "There are no subgraphs to compose." }] };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map(problemOf) };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: apiSchemaSdl(result.supergraphSdl),
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

/**
 * The schema clients see: the supergraph without federation's machinery (join__*, link__*, @inaccessible
 * elements), printed with graphql-js.
 */
export function apiSchemaSdl(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  // Printed and built again with this package's graphql, so that every later step works on one graphql-js copy.
  return `${printSchema(buildSchema(printSchema(api)))}\n`;
}

export function buildApiSchema(apiSdl: string): GraphQLSchema {
  return buildSchema(apiSdl);
}

/** Rover prints composition failures as `error[E029]: Encountered N build errors ...` then one line each. */
export function compositionIssue(problems: CompositionProblem[]): Issue {
  const count = `${problems.length} build error${problems.length === 1 ? "" : "s"}`;
  return issue(
    "COMPOSITION_ERROR",
    `Encountered ${count} while trying to build a supergraph.`,
    problems.map((problem) => `COMPOSITION_ERROR: ${problem.code}: ${problem.message}`),
  );
}
