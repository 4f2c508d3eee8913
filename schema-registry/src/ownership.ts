// Which Prisma models a service's code reads and writes, found in its TypeScript syntax tree, so that
// `pnpm microservices:validate` can hold the code to the ownership microservices.config.json declares.
//
// Seen as access to a model:
// - a delegate call, `<anything>.<model>.<method>(args)` (`db.profile.findMany`, `tx.user.update`): a read or a
//   write by the method; inside its arguments, relations named in `include`, `select`, `where`, `orderBy` and
//   `_count` are reads of the related model, and nested `create`/`update`/`upsert`/`delete`... under `data` are
//   writes of it;
// - SQL in any string or template literal: `FROM`/`JOIN <table>` reads, `UPDATE`/`INSERT INTO`/`DELETE FROM <table>`
//   writes, and a `FOR UPDATE`/`FOR SHARE` lock counts as a write of the tables it reads (it blocks their owner).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface PrismaModel {
  name: string;
  /** The table (`@@map`), or the model name. */
  table: string;
  /** Relation fields: field name → related model. */
  relations: Map<string, string>;
}

/** Models of a Prisma schema with their tables and relation fields. */
export function prismaSchemaModels(schema: string): Map<string, PrismaModel> {
  const blocks = [...schema.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const names = new Set(blocks.map((block) => block[1] ?? ""));
  const models = new Map<string, PrismaModel>();
  for (const [, name = "", body = ""] of blocks) {
    const relations = new Map<string, string>();
    for (const line of body.split("\n")) {
      const field = /^\s*(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      if (field?.[1] && field[2] && names.has(field[2])) relations.set(field[1], field[2]);
    }
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    models.set(name, { name, table, relations });
  }
  return models;
}

export type AccessKind = "read" | "write";

export interface ModelAccess {
  model: string;
  kind: AccessKind;
  /** file:line, relative to the root. */
  where: string;
}

const READ_METHODS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);
const WRITE_METHODS = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);
/** Nested operations under `data` that write the related model (`connect` only writes the model's own key). */
const NESTED_WRITES = new Set(["create", "createMany", "connectOrCreate", "update", "updateMany", "upsert", "delete", "deleteMany", "set", "disconnect"]);
/** Relation filter wrappers: `{ profile: { is: {...} } }`, `{ seasons: { some: {...} } }`. */
const FILTER_WRAPPERS = new Set(["is", "isNot", "some", "every", "none"]);
const LOGICAL = new Set(["AND", "OR", "NOT"]);

function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

function propertyName(property: ts.ObjectLiteralElementLike): string | null {
  if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return null;
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : null;
}

function objectValue(property: ts.ObjectLiteralElementLike): ts.ObjectLiteralExpression | null {
  if (!ts.isPropertyAssignment(property)) return null;
  let value: ts.Expression = property.initializer;
  while (ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
  return ts.isObjectLiteralExpression(value) ? value : null;
}

/** Every model access in the given files. */
export function modelAccesses(files: string[], root: string, models: Map<string, PrismaModel>): ModelAccess[] {
  const byDelegate = new Map([...models.values()].map((model) => [delegateName(model.name), model]));
  const byTable = new Map([...models.values()].map((model) => [model.table.toLowerCase(), model]));
  const accesses: ModelAccess[] = [];

  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const where = (node: ts.Node) => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const add = (model: string, kind: AccessKind, node: ts.Node) => accesses.push({ model, kind, where: where(node) });

    // Relations named in query arguments, read or (under `data`) written.
    const walkArguments = (model: PrismaModel, args: ts.ObjectLiteralExpression, inData: boolean): void => {
      for (const property of args.properties) {
        const name = propertyName(property);
        const value = objectValue(property);
        if (name === null) continue;
        if (LOGICAL.has(name) && ts.isPropertyAssignment(property)) {
          const items = ts.isArrayLiteralExpression(property.initializer) ? property.initializer.elements : [property.initializer];
          for (const item of items) if (ts.isObjectLiteralExpression(item)) walkArguments(model, item, inData);
          continue;
        }
        if (["include", "select", "where", "orderBy", "_count", "omit"].includes(name) || FILTER_WRAPPERS.has(name)) {
          if (value) walkArguments(model, value, false);
          continue;
        }
        if (name === "data" || (inData && NESTED_WRITES.has(name))) {
          if (value) walkArguments(model, value, true);
          continue;
        }
        const related = models.get(model.relations.get(name) ?? "");
        if (!related) continue;
        const writes = inData && value !== null && value.properties.some((nested) => NESTED_WRITES.has(propertyName(nested) ?? ""));
        add(related.name, writes ? "write" : "read", property);
        if (value) walkArguments(related, value, inData);
      }
    };

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = node.expression.expression;
        const model = ts.isPropertyAccessExpression(receiver) ? byDelegate.get(receiver.name.text) : undefined;
        if (model && (READ_METHODS.has(method) || WRITE_METHODS.has(method))) {
          add(model.name, WRITE_METHODS.has(method) ? "write" : "read", node);
          const first = node.arguments[0];
          if (first && ts.isObjectLiteralExpression(first)) walkArguments(model, first, false);
        }
      }
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const sql = ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(" ? ") : node.text;
        for (const access of sqlAccesses(sql, byTable)) add(access.model, access.kind, node);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return accesses;
}

/** Tables a piece of SQL reads and writes (only names of the schema's tables count). */
export function sqlAccesses(sql: string, byTable: Map<string, PrismaModel>): Array<{ model: string; kind: AccessKind }> {
  if (!/\b(select|insert|update|delete|from|join)\b/i.test(sql)) return [];
  const found: Array<{ model: string; kind: AccessKind }> = [];
  const locks = /\bfor\s+(no\s+key\s+)?(update|share)\b/i.test(sql);
  const table = String.raw`"?(\w+)"?(?:\.\s*"?(\w+)"?)?`;
  const patterns: Array<[RegExp, AccessKind]> = [
    [new RegExp(String.raw`\b(?:from|join)\s+${table}`, "gi"), locks ? "write" : "read"],
    [new RegExp(String.raw`\b(?:update|insert\s+into|delete\s+from)\s+${table}`, "gi"), "write"],
  ];
  for (const [pattern, kind] of patterns) {
    for (const match of sql.matchAll(pattern)) {
      // schema.table or table
      const name = (match[2] ?? match[1] ?? "").toLowerCase();
      const model = byTable.get(name);
      if (model) found.push({ model: model.name, kind });
    }
  }
  return found;
}
