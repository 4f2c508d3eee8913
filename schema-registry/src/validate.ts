// `pnpm microservices:validate`: microservices.config.json is true to the code and to the database schema.
// - each listed service has a package (subgraphs/<name>/package.json named @watchflixx/<name>) with src/index.ts,
//   and every package under subgraphs/ is listed;
// - every model a service owns exists in prisma/schema.prisma, and no model has two owners;
// - every event type a service produces appears in that service's `recordEvent(...)` calls, every literal
//   `eventType` in those calls is listed, and every consumed event is produced by some service;
// - a service's code writes only the models it owns and reads only those it owns or declares under `reads`
//   (ownership.ts finds the accesses); a shared package's accesses are declared under `packages`, and its
//   writes of a service's models are reported as a warning on every run until they move to their owner;
// - the subgraphs compose (checked by the caller, which has loaded them).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { issue, type Issue, type Note } from "./issues.ts";
import { modelAccesses, prismaSchemaModels, type ModelAccess } from "./ownership.ts";

export interface ServiceConfig {
  port: number;
  models: string[];
  /** Other services' models the code may read. */
  reads?: string[];
  produces: string[];
  consumes: string[];
}

export interface ValidateInput {
  root: string;
  services: Record<string, ServiceConfig>;
  /** Models anyone may read and write (the event log). */
  sharedModels?: string[];
  /** packages/<name>/src code that touches models, with what it declares. */
  packages?: Record<string, { reads: string[]; writes: string[] }>;
  /** The event catalogue's types (packages/common/src/events/catalogue.ts): each produced by a service. */
  eventTypes?: readonly string[];
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
  if (input.eventTypes) {
    const catalogued = new Set(input.eventTypes);
    for (const event of produced) if (!catalogued.has(event)) eventProblems.push(`"${event}" is produced but has no payload schema in packages/common/src/events/catalogue.ts`);
    for (const event of catalogued) if (!produced.has(event)) eventProblems.push(`"${event}" is in the event catalogue, but no service produces it`);
  }
  if (eventProblems.length > 0) issues.push(issue("CONFIG_MISMATCH", "Produced and consumed events disagree with the code.", eventProblems));

  const ownership = checkOwnership(input, owners);
  if (ownership.problems.length > 0) issues.push(issue("CONFIG_MISMATCH", "Services touch models they do not own or have not declared.", ownership.problems));
  notes.push(...ownership.notes);
  return { issues, notes };
}

/** Groups accesses by model, with up to three places each (enough to find them). */
function byModel(accesses: ModelAccess[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const access of accesses) grouped.set(access.model, [...(grouped.get(access.model) ?? []), access.where]);
  return grouped;
}

function places(list: string[]): string {
  const unique = [...new Set(list)];
  return unique.length > 3 ? `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more` : unique.join(", ");
}

function checkOwnership(input: ValidateInput, owners: Map<string, string>): { problems: string[]; notes: Note[] } {
  const { root, services } = input;
  const models = prismaSchemaModels(readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8"));
  const shared = new Set(input.sharedModels ?? []);
  const problems: string[] = [];
  const notes: Note[] = [];
  for (const model of shared) if (!models.has(model)) problems.push(`shared model "${model}" is not in prisma/schema.prisma`);
  for (const model of models.keys()) {
    if (!owners.has(model) && !shared.has(model)) problems.push(`model "${model}" has no owner: list it under one service's models (or sharedModels)`);
  }
  const ownerOf = (model: string) => owners.get(model) ?? "nobody";

  const check = (unit: string, dir: string, owned: Set<string>, declaredReads: string[], declaredWrites: string[]) => {
    const accesses = modelAccesses(sourceFiles(path.join(root, dir)), root, models).filter((access) => !shared.has(access.model));
    const foreign = accesses.filter((access) => !owned.has(access.model));
    const writes = byModel(foreign.filter((access) => access.kind === "write"));
    const reads = byModel(foreign.filter((access) => access.kind === "read"));
    for (const [model, where] of writes) {
      if (!declaredWrites.includes(model)) problems.push(`${places(where)}: ${unit} writes ${model}, owned by ${ownerOf(model)}; change it through ${ownerOf(model)}'s events or API`);
    }
    for (const [model, where] of reads) {
      if (!declaredReads.includes(model) && !declaredWrites.includes(model)) problems.push(`${places(where)}: ${unit} reads ${model} (owned by ${ownerOf(model)}) without declaring it under reads`);
    }
    for (const model of declaredReads) {
      if (owned.has(model)) problems.push(`${unit} declares it reads ${model}, which it owns`);
      else if (!reads.has(model) && !writes.has(model)) problems.push(`${unit} declares it reads ${model}, but its code never does: remove it from reads`);
    }
    for (const model of declaredWrites) {
      if (!writes.has(model)) problems.push(`${unit} declares it writes ${model}, but its code never does: remove it from writes`);
      else notes.push({ level: "warning", message: `${unit} writes ${model}, owned by ${ownerOf(model)} (${places(writes.get(model) ?? [])}): move that rule to ${ownerOf(model)}` });
    }
  };

  for (const [name, config] of Object.entries(services)) {
    check(`service "${name}"`, path.join("subgraphs", name, "src"), new Set(config.models), config.reads ?? [], []);
  }
  for (const [name, declared] of Object.entries(input.packages ?? {})) {
    if (!existsSync(path.join(root, "packages", name, "src"))) problems.push(`packages.${name} is declared, but packages/${name}/src does not exist`);
    else check(`packages/${name}`, path.join("packages", name, "src"), new Set(), declared.reads, declared.writes);
  }
  return { problems, notes };
}
