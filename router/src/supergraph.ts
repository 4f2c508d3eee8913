// Where the gateway's supergraph comes from:
// - a fixed SDL string (tests, tools);
// - a file (production: schema-registry/supergraph.graphql), watched and reloaded in place when it changes;
// - the running subgraphs, introspected and composed (development), retried until they all answer.
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { IntrospectAndCompose, type SupergraphManager } from "@apollo/gateway";
import { StartupError, type Logger } from "@watchflixx/common";

type SupergraphSdlHookOptions = Parameters<SupergraphManager["initialize"]>[0];
type SupergraphSdlHookResult = Awaited<ReturnType<SupergraphManager["initialize"]>>;

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

export type SupergraphSource =
  /** A composed supergraph SDL, served as it is. */
  | { sdl: string }
  /** A supergraph file; with `watch` (the default) a new file is loaded without a restart. */
  | { path: string; watch?: boolean }
  /** Compose from the running subgraphs' `_service { sdl }`; poll for changes every `pollIntervalMs` (0: never). */
  | { subgraphs: SubgraphEndpoint[]; pollIntervalMs?: number; retryDelayMs?: number };

/** A supergraph manager that can also be asked to reload now (file mode). */
export interface SupergraphLoader extends SupergraphManager {
  readonly description: string;
  reload(): Promise<boolean>;
}

export function createSupergraphLoader(source: SupergraphSource, logger: Logger): SupergraphLoader {
  if ("sdl" in source) return new StaticSupergraph(source.sdl);
  if ("path" in source) return new SupergraphFile(source.path, source.watch ?? true, logger);
  return new IntrospectedSupergraph(source.subgraphs, source.pollIntervalMs ?? 10_000, source.retryDelayMs ?? 2_000, logger);
}

class StaticSupergraph implements SupergraphLoader {
  readonly description = "a supergraph SDL given at start";
  constructor(private readonly sdl: string) {}

  async initialize(): Promise<SupergraphSdlHookResult> {
    return { supergraphSdl: this.sdl };
  }

  async reload(): Promise<boolean> {
    return false;
  }
}

/** An error's first non-blank line: what a log line or a start-up failure shows of it. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}

class SupergraphFile implements SupergraphLoader {
  readonly description: string;
  private update?: SupergraphSdlHookOptions["update"];
  private current = "";
  private watcher?: FSWatcher;
  private pending?: NodeJS.Timeout;
  private reloading: Promise<boolean> = Promise.resolve(false);

  constructor(
    private readonly file: string,
    private readonly watchFile: boolean,
    private readonly logger: Logger,
  ) {
    this.description = `the supergraph file ${file}`;
  }

  async initialize({ update }: SupergraphSdlHookOptions): Promise<SupergraphSdlHookResult> {
    this.update = update;
    try {
      this.current = await readFile(this.file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : firstLine(error);
      throw new StartupError(
        `SUPERGRAPH_PATH: cannot read the supergraph at ${this.file} (${reason}); compose it with the schema registry, or set SUPERGRAPH_MODE=introspect to compose the running subgraphs`,
      );
    }
    if (this.watchFile) {
      // Watch the folder, not the file: tools replace the file (write a temporary file, rename it over).
      this.watcher = watch(path.dirname(this.file), (_event, name) => {
        if (name !== path.basename(this.file)) return;
        clearTimeout(this.pending);
        // One reload for the burst of events that one write produces.
        this.pending = setTimeout(() => void this.reload(), 100);
      });
      this.watcher.on("error", (error) => this.logger.warn(`stopped watching ${this.file}: ${firstLine(error)}`));
    }
    return {
      supergraphSdl: this.current,
      cleanup: async () => {
        clearTimeout(this.pending);
        this.watcher?.close();
        this.update = undefined;
      },
    };
  }

  /** Reads the file again; serves it if it changed and is a valid supergraph (else keeps the current one). */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<boolean> {
    const update = this.update;
    if (!update) return false;
    let sdl: string;
    try {
      sdl = await readFile(this.file, "utf8");
    } catch (error) {
      this.logger.warn(`cannot read ${this.file} (${firstLine(error)}); still serving the previous supergraph`);
      return false;
    }
    if (sdl === this.current || sdl.trim() === "") return false;
    try {
      update(sdl);
      this.current = sdl;
      this.logger.info(`loaded the new supergraph from ${this.file}`);
      return true;
    } catch (error) {
      this.logger.error(`the new ${this.file} is not a valid supergraph (${firstLine(error)}); still serving the previous one`);
      return false;
    }
  }
}

class IntrospectedSupergraph implements SupergraphLoader {
  readonly description: string;
  private stopped = false;
  private initialized = false;
  private wake?: () => void;
  /** IntrospectAndCompose logs each failed attempt as an error: while starting, this class reports them (once). */
  private readonly innerLogger = {
    debug: (message?: unknown) => this.logger.debug(String(message)),
    info: (message?: unknown) => this.logger.debug(String(message)),
    warn: (message?: unknown) => this.logger.warn(firstLine(message)),
    error: (message?: unknown) => (this.initialized ? this.logger.warn(firstLine(message)) : this.logger.debug(firstLine(message))),
  };

  constructor(
    private readonly subgraphs: SubgraphEndpoint[],
    private readonly pollIntervalMs: number,
    private readonly retryDelayMs: number,
    private readonly logger: Logger,
  ) {
    this.description = `the running subgraphs (${subgraphs.map((s) => s.name).join(", ")})`;
  }

  /** Until every subgraph answers and they compose, tries again every `retryDelayMs` (they may be starting). */
  async initialize(options: SupergraphSdlHookOptions): Promise<SupergraphSdlHookResult> {
    let lastProblem = "";
    for (;;) {
      const inner = new IntrospectAndCompose({
        subgraphs: this.subgraphs,
        ...(this.pollIntervalMs > 0 ? { pollIntervalInMs: this.pollIntervalMs } : {}),
        logger: this.innerLogger,
      });
      try {
        const result = await inner.initialize(options);
        this.initialized = true;
        if (lastProblem) this.logger.info("the subgraphs compose now");
        return {
          supergraphSdl: result.supergraphSdl,
          cleanup: async () => {
            this.stopped = true;
            await result.cleanup();
          },
        };
      } catch (error) {
        const problem = firstLine(error);
        if (problem !== lastProblem) this.logger.warn(`waiting for the subgraphs to compose: ${problem}`);
        lastProblem = problem;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryDelayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) throw new StartupError("the gateway stopped before the subgraphs composed");
    }
  }

  /** Stops retrying (a gateway stopped while still waiting for its subgraphs). */
  abort(): void {
    this.stopped = true;
    this.wake?.();
  }

  async reload(): Promise<boolean> {
    return false;
  }
}

export function isAbortable(loader: SupergraphLoader): loader is SupergraphLoader & { abort(): void } {
  return loader instanceof IntrospectedSupergraph;
}
