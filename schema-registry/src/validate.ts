// `pnpm microservices:validate`: microservices.config.json is true to the code and to the database schema.
// - each listed service has a package (subgraphs/<name>/package.json named @watchflixx/<name>) with src/index.ts,
//   and every package under subgraphs/ is listed;
// - every model a service owns exists in prisma/schema.prisma, and no model has two owners;
// - every event type a service produces appears in that service's `recordEvent(...)` calls, every literal
//   `eventType` in those calls is listed, and every consumed event is produced by some service;
// - the subgraphs compose (checked by the caller, which has loaded them).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { issue, type Issue, type Note } from "./issues.ts";

export interface ServiceConfig {
  port: number;
  models: string[];
  produces: string[];
  consumes: string[];
}

export interface ValidateInput {
  root: string;
  services: Record<string, ServiceConfig>;
}

/** Model names declared in a Prisma schema. */
export function prismaModels(schema: string): Set<string> {
  return new Set([...schema.matchAll(/^\s*model\s+(\w+)\s*\{/gm)].map((match) => match[1] ?? ""));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== "node_modules" && entry !== "generated") files.push(...sourceFiles(full));
    } else if (/\.(ts|mts|cts)$/.test(entry) && !entry.endsWith(".d.ts")) {
      files.push(full);
    }
  }
  return files;
}

export interface RecordedEvents {
  /** `eventType` string literals of `recordEvent(tx, { eventType: "..." })` calls. */
  literal: Map<string, string[]>;
  /** Calls whose eventType is not a literal (file:line and the expression). */
  dynamic: string[];
  /** Literal `service` values that are not the service's own name (file:line). */
  wrongService: string[];
}

/** Finds the `recordEvent(...)` calls in a service's sources with the TypeScript parser. */
export function recordedEvents(files: string[], service: string, root: string): RecordedEvents {
  const result: RecordedEvents = { literal: new Map(), dynamic: [], wrongService: [] };
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("recordEvent")) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const where = (node: ts.Node) => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
        const event = node.arguments[1];
        if (name === "recordEvent" && event && ts.isObjectLiteralExpression(event)) {
          for (const property of event.properties) {
            if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
            const value = property.initializer;
            const literal = ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : null;
            if (property.name.text === "eventType") {
              if (literal === null) result.dynamic.push(`${where(node)} (${value.getText(source)})`);
              else result.literal.set(literal, [...(result.literal.get(literal) ?? []), where(node)]);
            }
            if (property.name.text === "service" && literal !== null && literal !== service) result.wrongService.push(`${where(node)} says "${literal}"`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

export function validateServices(input: ValidateInput): { issues: Issue[]; notes: Note[] } {
  const issues: Issue[] = [];
  const notes: Note[] = [];
  const { root, services } = input;
  const names = Object.keys(services);

  // Packages.
  const packageProblems: string[] = [];
  for (const name of names) {
    const packageFile = path.join(root, "subgraphs", name, "package.json");
    if (!existsSync(packageFile)) {
      packageProblems.push(`service "${name}" has no package (subgraphs/${name}/package.json)`);
      continue;
    }
    const packageName = (JSON.parse(readFileSync(packageFile, "utf8")) as { name?: string }).name;
    if (packageName !== `@watchflixx/${name}`) packageProblems.push(`subgraphs/${name}/package.json is named "${packageName}", expected "@watchflixx/${name}"`);
    if (!existsSync(path.join(root, "subgraphs", name, "src", "index.ts"))) packageProblems.push(`service "${name}" has no subgraphs/${name}/src/index.ts`);
  }
  const subgraphsDir = path.join(root, "subgraphs");
  if (existsSync(subgraphsDir)) {
    for (const entry of readdirSync(subgraphsDir).sort()) {
      if (existsSync(path.join(subgraphsDir, entry, "package.json")) && !services[entry]) {
        packageProblems.push(`subgraphs/${entry} is not listed in microservices.config.json`);
      }
    }
  }
  if (packageProblems.length > 0) issues.push(issue("CONFIG_MISMATCH", "Services and packages disagree.", packageProblems));

  // Models.
  const schemaFile = path.join(root, "prisma", "schema.prisma");
  const models = prismaModels(readFileSync(schemaFile, "utf8"));
  const modelProblems: string[] = [];
  const owners = new Map<string, string>();
  for (const name of names) {
    for (const model of services[name]?.models ?? []) {
      if (!models.has(model)) modelProblems.push(`model "${model}" of service "${name}" is not in prisma/schema.prisma`);
      const owner = owners.get(model);
      if (owner) modelProblems.push(`model "${model}" is owned by both "${owner}" and "${name}"`);
      owners.set(model, name);
    }
  }
  if (modelProblems.length > 0) issues.push(issue("CONFIG_MISMATCH", "Owned models and prisma/schema.prisma disagree.", modelProblems));

  // Events.
  const eventProblems: string[] = [];
  const produced = new Set<string>();
  for (const name of names) {
    const config = services[name];
    if (!config) continue;
    for (const event of config.produces) produced.add(event);
    const srcDir = path.join(root, "subgraphs", name, "src");
    if (!existsSync(path.join(srcDir, "index.ts"))) continue; // reported above
    const recorded = recordedEvents(sourceFiles(srcDir), name, root);
    for (const event of config.produces) {
      if (!recorded.literal.has(event)) eventProblems.push(`service "${name}" produces "${event}" in the config, but no recordEvent call in subgraphs/${name}/src records it`);
    }
    for (const [event, places] of recorded.literal) {
      if (!config.produces.includes(event)) eventProblems.push(`${places.join(", ")}: records "${event}", which microservices.config.json does not list under ${name}.produces`);
    }
    for (const call of recorded.dynamic) eventProblems.push(`${call}: eventType must be a string literal so that the config can be checked`);
    for (const call of recorded.wrongService) eventProblems.push(`${call} as the service of an event recorded by "${name}"`);
  }
  for (const name of names) {
    for (const event of services[name]?.consumes ?? []) {
      if (!produced.has(event)) eventProblems.push(`service "${name}" consumes "${event}", which no service produces`);
    }
  }
  if (eventProblems.length > 0) issues.push(issue("CONFIG_MISMATCH", "Produced and consumed events disagree with the code.", eventProblems));
  return { issues, notes };
}
