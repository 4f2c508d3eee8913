// `pnpm microservices:validate` on a scratch repository: microservices.config.json against the packages, the
// Prisma schema and the code's recordEvent calls.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatIssue, validateServices, type ServiceConfig } from "../src/index.ts";

let root: string;
function write(relativePath: string, text: string) {
  const file = path.join(root, relativePath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "validate-test-"));
  write(
    "prisma/schema.prisma",
    `model User {
  id       String    @id
  name     String
  contents Content[]
  @@map("users")
}

model Profile {
  id String @id
  @@map("profiles")
}

model Content {
  id        String @id
  creatorId String
  creator   User   @relation(fields: [creatorId], references: [id])
  @@map("contents")
}
`,
  );
  write("subgraphs/auth/package.json", JSON.stringify({ name: "@watchflixx/auth" }));
  write("subgraphs/auth/src/index.ts", "export {};\n");
  write(
    "subgraphs/auth/src/services/account.service.ts",
    `import { recordEvent } from "@watchflixx/common";
export async function signUp(tx: unknown) {
  await recordEvent(tx, { eventType: "UserCreated", service: "auth", aggregateType: "user", aggregateId: "1", payload: {} });
}
`,
  );
  write("subgraphs/content/package.json", JSON.stringify({ name: "@watchflixx/content" }));
  write("subgraphs/content/src/index.ts", "export {};\n");
  write(
    "subgraphs/content/src/services/editorial.service.ts",
    `const SERVICE = "content";
export async function publish(tx: unknown, recordEvent: (tx: unknown, e: object) => Promise<void>) {
  await recordEvent(tx, {
    eventType: "ContentPublished",
    service: SERVICE,
    aggregateType: "content",
    aggregateId: "1",
    payload: {},
  });
}
`,
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const services = (): Record<string, ServiceConfig> => ({
  auth: { port: 3001, models: ["User", "Profile"], produces: ["UserCreated"], consumes: [] },
  content: { port: 3002, models: ["Content"], produces: ["ContentPublished"], consumes: ["UserCreated"] },
});

function errors(config: Record<string, ServiceConfig>, packages?: Record<string, { reads: string[]; writes: string[] }>) {
  return validateServices({ root, services: config, packages }).issues.map(formatIssue);
}

describe("microservices validate", () => {
  it("passes when the config, the packages, the models and the events agree", () => {
    expect(errors(services())).toEqual([]);
  });

  it("fails when a listed service has no package or no src/index.ts, or a package is not listed", () => {
    const config = { ...services(), payment: { port: 3004, models: [], produces: [], consumes: [] } };
    write("subgraphs/social/package.json", JSON.stringify({ name: "@watchflixx/social" }));
    const [error] = errors(config);
    expect(error).toMatch(/^error\[E009\]: Services and packages disagree\./);
    expect(error).toContain('service "payment" has no package (subgraphs/payment/package.json)');
    expect(error).toContain("subgraphs/social is not listed in microservices.config.json");
  });

  it("fails when an owned model is not in schema.prisma or has two owners", () => {
    const config = services();
    config.auth = { ...config.auth!, models: ["User", "Profile", "Device"] };
    config.content = { ...config.content!, models: ["Content", "User"] };
    const [error] = errors(config);
    expect(error).toContain('model "Device" of service "auth" is not in prisma/schema.prisma');
    expect(error).toContain('model "User" is owned by both "auth" and "content"');
  });

  it("fails when a produced event is never recorded, or the code records an unlisted one", () => {
    const config = services();
    config.auth = { ...config.auth!, produces: ["UserCreated", "ProfileCreated"] };
    config.content = { ...config.content!, produces: [] };
    const [error] = errors(config);
    expect(error).toMatch(/^error\[E009\]: Produced and consumed events disagree with the code\./);
    expect(error).toContain('service "auth" produces "ProfileCreated" in the config, but no recordEvent call in subgraphs/auth/src records it');
    expect(error).toContain('subgraphs/content/src/services/editorial.service.ts:3: records "ContentPublished", which microservices.config.json does not list under content.produces');
  });

  it("fails when a consumed event is produced by no service, or an event names another service", () => {
    const config = services();
    config.content = { ...config.content!, consumes: ["PaymentFailed"] };
    write(
      "subgraphs/auth/src/services/other.ts",
      `declare const recordEvent: (tx: unknown, e: object) => Promise<void>;\nexport const x = (tx: unknown) => recordEvent(tx, { eventType: "UserCreated", service: "payment" });\n`,
    );
    const [error] = errors(config);
    expect(error).toContain('service "content" consumes "PaymentFailed", which no service produces');
    expect(error).toContain('subgraphs/auth/src/services/other.ts:2 says "payment" as the service of an event recorded by "auth"');
  });

  describe("model ownership, from the code", () => {
    const content = (code: string) => write("subgraphs/content/src/services/planted.ts", `declare const db: any;\n${code}\n`);

    it("refuses a write of another service's model: a delegate call, a nested write, SQL, a row lock", () => {
      content(`export const a = () => db.user.updateMany({ where: { id: "1" }, data: { name: "x" } });
export const b = () => db.content.create({ data: { id: "2", creator: { create: { id: "3", name: "y" } } } });
export const c = () => db.$executeRaw\`UPDATE users SET name = 'z' WHERE id = \${"1"}\`;
export const d = () => db.$queryRaw\`SELECT id FROM profiles WHERE id = \${"1"} FOR UPDATE\`;`);
      const [error] = errors(services());
      expect(error).toMatch(/^error\[E009\]: Services touch models they do not own or have not declared\./);
      expect(error).toContain("subgraphs/content/src/services/planted.ts:2, subgraphs/content/src/services/planted.ts:3, subgraphs/content/src/services/planted.ts:4: service \"content\" writes User, owned by auth");
      expect(error).toContain("subgraphs/content/src/services/planted.ts:5: service \"content\" writes Profile, owned by auth");
      // Declaring a read does not allow a write.
      const config = services();
      config.content = { ...config.content!, reads: ["User", "Profile"] };
      expect(errors(config).join("\n")).toContain('service "content" writes User, owned by auth');
    });

    it("refuses an undeclared read (a delegate, a relation in include or where, SQL) and passes once it is declared", () => {
      content(`export const a = () => db.profile.findMany();
export const b = () => db.content.findMany({ include: { creator: { select: { name: true } } } });
export const c = () => db.$queryRaw\`SELECT c.id FROM contents c JOIN profiles p ON p.id = c.id\`;`);
      const [error] = errors(services());
      expect(error).toContain("planted.ts:2, subgraphs/content/src/services/planted.ts:4: service \"content\" reads Profile (owned by auth) without declaring it under reads");
      expect(error).toContain("planted.ts:3: service \"content\" reads User (owned by auth) without declaring it under reads");
      const config = services();
      config.content = { ...config.content!, reads: ["Profile", "User"] };
      expect(errors(config)).toEqual([]);
    });

    it("refuses a declared read the code never makes, and a model nobody owns", () => {
      const config = services();
      config.content = { ...config.content!, reads: ["Profile"] };
      config.auth = { ...config.auth!, models: ["User"] };
      const [error] = errors(config);
      expect(error).toContain('service "content" declares it reads Profile, but its code never does: remove it from reads');
      expect(error).toContain('model "Profile" has no owner');
    });

    it("holds a shared package to what it declares, and warns of each write it makes of a service's model", () => {
      write("packages/common/src/rules.ts", "declare const tx: any;\nexport const f = () => tx.profile.update({ where: { id: \"1\" }, data: {} });\n");
      expect(errors(services(), { common: { reads: [], writes: [] } }).join("\n")).toContain("packages/common/src/rules.ts:2: packages/common writes Profile, owned by auth");
      const declared = validateServices({ root, services: services(), packages: { common: { reads: [], writes: ["Profile"] } } });
      expect(declared.issues).toEqual([]);
      expect(declared.notes.map((note) => `${note.level}: ${note.message}`)).toContain(
        "warning: packages/common writes Profile, owned by auth (packages/common/src/rules.ts:2): move that rule to auth",
      );
    });
  });

  it("holds the event catalogue to the events the services produce", () => {
    const report = validateServices({ root, services: services(), eventTypes: ["UserCreated", "ProfileCreated"] }).issues.map(formatIssue).join("\n");
    expect(report).toContain('"ContentPublished" is produced but has no payload schema in packages/common/src/events/catalogue.ts');
    expect(report).toContain('"ProfileCreated" is in the event catalogue, but no service produces it');
    expect(validateServices({ root, services: services(), eventTypes: ["UserCreated", "ContentPublished"] }).issues).toEqual([]);
  });
});
